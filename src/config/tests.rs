//! The configuration's defaults, validation and secrets.

use super::*;

#[test]
fn defaults_are_valid() {
    let config = Config::default();
    config.validate().unwrap();
    assert_eq!(config.team_defaults.weather_min_people, 3);
}

#[test]
fn file_values_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hearth.toml");
    std::fs::write(&path, "[team_defaults]\nweather_min_people = 2\n").unwrap();
    assert!(matches!(Config::load(Some(&path)), Err(ConfigError::WeatherTooSmall(2))));

    std::fs::write(&path, "[team_defaults]\ntimezone = \"Mars/Olympus\"\n").unwrap();
    let err = Config::load(Some(&path)).unwrap_err().to_string();
    assert!(err.contains("timezone"), "{err}");

    std::fs::write(&path, "data_dirr = \"x\"\n").unwrap();
    let err = Config::load(Some(&path)).unwrap_err().to_string();
    assert!(err.contains("data_dirr"), "{err}");

    std::fs::write(&path, "[discord]\napi_base = \"127.0.0.1:1\"\n").unwrap();
    assert!(matches!(Config::load(Some(&path)), Err(ConfigError::Discord(_))));
    std::fs::write(&path, "[discord]\nguild_id = 42\napi_base = \"http://127.0.0.1:1\"\n").unwrap();
    assert_eq!(Config::load(Some(&path)).unwrap().discord.guild_id, Some(42));

    for key in ["weather_days", "history_days", "agenda_days"] {
        std::fs::write(&path, format!("[retention]\n{key} = 0\n")).unwrap();
        let err = Config::load(Some(&path)).unwrap_err();
        assert!(matches!(err, ConfigError::Retention(k, 0) if k == key), "{key}: {err}");
    }
    std::fs::write(&path, "[retention]\nweather_days = 4000000000\n").unwrap();
    assert!(matches!(Config::load(Some(&path)), Err(ConfigError::Retention(_, _))));
    std::fs::write(&path, "[retention]\nagenda_days = 30\n").unwrap();
    assert_eq!(Config::load(Some(&path)).unwrap().retention.agenda_days, 30);

    std::fs::write(&path, "[team_defaults]\ntimezone = \"Europe/London\"\n").unwrap();
    assert_eq!(Config::load(Some(&path)).unwrap().team_defaults.timezone, Tz::Europe__London);
}

#[test]
fn only_variables_naming_settings_are_configuration() {
    for key in [
        "DATA_DIR",
        "CONSOLE.DELIVERY_LOG",
        "team_defaults.timezone",
        "MATRIX.USER",
        "DISCORD.GUILD_ID",
    ] {
        assert!(is_setting(key), "{key}");
    }
    for key in [
        "LOG",
        "CONFIG",
        "MATRIX_PASSWORD",
        "MATRIX_PASSWORD_FILE",
        "TEST_SYNAPSE_URL",
        "DISCORD_TOKEN",
        "DISCORD_TOKEN_FILE",
    ] {
        assert!(!is_setting(key), "{key}");
    }
}

#[test]
fn secrets_do_not_print() {
    let secret = Secret("hunter2".to_owned().into());
    assert!(!format!("{secret:?}").contains("hunter2"));
    assert_eq!(secret.expose(), "hunter2");
}

#[test]
fn a_database_url_is_postgres_and_holds_no_password() {
    for good in [
        "postgres://hearth@db.example/hearth",
        "postgresql://db.example:5433/hearth?sslmode=require",
        "postgres://hearth@localhost/hearth?host=/run/postgresql",
    ] {
        assert!(check_database_url(good).is_ok(), "{good}");
    }
    let password = check_database_url("postgres://hearth:hunter2@db.example/hearth");
    let message = password.unwrap_err().to_string();
    assert!(message.contains("HEARTH_DATABASE_PASSWORD"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert!(check_database_url("sqlite://hearth.db").is_err());
    assert!(check_database_url("db.example/hearth").is_err());
}
