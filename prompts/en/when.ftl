# A schedule read back in words, from the "when" people typed. Messages that name a schedule
# include { when-words }; its variables: $when_kind (none, once, weekly, weeks, monthly, cron),
# $when_day (day, weekday, weekend, mon … sun, or a list like mon,wed), $when_at and $when_ends
# (HH:MM, or none), $when_nth (1st, 2nd, 3rd, 4th, last) and $when_nth_also (a second, later
# one, or none), $when_weeks, $when_from (the Monday a
# rhythm of several weeks counts from) and $when_pattern (cron).

when-words = { $when_kind ->
        [once] once, on { $when_at }
        [weekly] every { when-day } { when-time }
        [weeks] every { $when_weeks } weeks on { when-day } { when-time }, counting from the week of { $when_from }
        [monthly] every month on the { $when_nth }{ $when_nth_also ->
            [none] {""}
           *[other] {" "}and { $when_nth_also }
        } { when-day } { when-time }
        [cron] on the cron pattern { $when_pattern }
       *[none] not planned
    }
when-day = { $when_day ->
        [day] day
        [weekday] weekday
        [weekend] Saturday and Sunday
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
        [sun] Sunday
       *[other] { $when_day }
    }
when-time = { $when_ends ->
        [none] at { $when_at }
       *[other] from { $when_at } to { $when_ends }
    }

# How long before a session or gathering a reminder comes ($minutes, from the configuration).
reminder-lead = { $minutes ->
        [1440] a day
        [60] an hour
        [15] a quarter of an hour
       *[other] { minutes-count }
    }
reminder-leads-and = { $first } and { $then }
