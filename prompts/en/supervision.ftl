# Peer-led supervision: sessions, their style (the supervisees' choice) and reminders.

supervision-style-name = { $style ->
        [open] open (decided on the day)
        [reflective] reflective
        [skills] skills
        [case-consultation] case consultation, without identifying anyone
        [wellbeing] wellbeing
        [admin] admin
       *[other] { $style }
    }
supervision-heading = Your next supervision
supervision-line = #{ $id } { $next }: { $who ->
        [group] group
       *[one] one-to-one
    }, { $when }; style: { supervision-style-name }
supervision-none = No supervision is scheduled for you. A supervisor or team admin can schedule it with /supervision schedule or /supervision with.
supervision-style-hint = The style is the supervisees' choice: /supervision style changes it.
supervision-scheduled = Scheduled supervision #{ $id }: { $when }. The first session is { $next }, team time. { $who ->
        [group] Reminders go to this channel
       *[one] Reminders go privately to you both
    } a day and a quarter of an hour before each session; the style is the supervisees' to choose.
supervision-not-allowed = Scheduling and cancelling supervision is for the team's supervisor and team admins. /supervision shows what's planned.
supervision-not-yourself = Name the supervisee: someone in the team other than you.
supervision-not-here = Please schedule group supervision from the team's channel: that's where reminders go. For one person, use /supervision with.
supervision-which = Which series? /supervision lists them with their numbers; add the number.
supervision-style-theirs = In one-to-one supervision the style is the supervisee's choice.
supervision-style-done = Supervision #{ $id } will be { supervision-style-name }.
supervision-cancelled = Supervision #{ $id } is cancelled, and its participants have been told.
supervision-cancelled-notice = Supervision ({ $when }) has been cancelled. Nothing else changes.
supervision-reminder = { $minutes ->
        [1440] Supervision tomorrow, { $at } (team time).
       *[other] Supervision in { minutes-count }, at { $at } (team time).
    } Style: { supervision-style-name }.
