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
    }, { when-words }; style: { supervision-style-name }
supervision-none = No supervision is scheduled for you. A supervisor or team admin can schedule it with /supervision schedule or /supervision with.
supervision-style-hint = The style is the supervisees' choice: /supervision style changes it.
supervision-scheduled = Scheduled supervision #{ $id }: { when-words }. The first session is { $next }, team time. { supervision-reminders } The style is the supervisees' to choose.
# Only the reminders that will really come: $reminders is off (none configured), all (each
# comes before the first session too), some (the first is too soon for the longer ones: only
# $soon) or none (the first is too soon for any).
supervision-reminders = { $reminders ->
        [off] No reminders are set up.
        [all] { supervision-reminders-go } { $leads } before { $repeats ->
            [yes] each session.
           *[no] it.
        }
        [some] { supervision-reminders-go } { $repeats ->
            [yes] { $leads } before each session; before the first, only { $soon }: it's too soon for more.
           *[no] { $soon } before it: it's too soon for more.
        }
       *[none] { $repeats ->
            [yes] { supervision-reminders-go } { $leads } before each session after the first: the first is too soon for a reminder.
           *[no] It's too soon for a reminder before it.
        }
    }
supervision-reminders-go = { $who ->
        [group] Reminders go to this channel
       *[one] Reminders go privately to you both
    }
supervision-not-allowed = Scheduling and cancelling supervision is for the team's supervisor and team admins. /supervision shows what's planned.
supervision-not-yourself = Name the supervisee: someone in the team other than you.
supervision-not-here = Please schedule group supervision from the team's channel: that's where reminders go. For one person, use /supervision with.
supervision-which = Which series? /supervision lists them with their numbers; add the number.
supervision-style-theirs = The style is the supervisees' choice, not the supervisor's; in one-to-one supervision, the supervisee's.
supervision-style-done = Supervision #{ $id } will be { supervision-style-name }.
supervision-cancelled = Supervision #{ $id } is cancelled, and its participants have been told. Its agenda items stay with the people who wrote them, visible only to them, for their next session.
supervision-cancelled-notice = Supervision ({ when-words }) has been cancelled. Agenda items you wrote for it stay yours, visible only to you, and come along to your next supervision session (/agenda). Nothing else changes.
supervision-reminder = { $minutes ->
        [1440] Supervision tomorrow, { $at } (team time).
       *[other] Supervision in { minutes-count }, at { $at } (team time).
    } Style: { supervision-style-name }.

agenda-heading = Agenda for supervision #{ $id }, { $session }
agenda-line = #{ $id } { $text }{ $votes ->
        [0] {""}
        [one] {" "}(1 vote)
       *[other] {" "}({ $votes } votes)
    }{ $carried ->
        [no] {""}
       *[other] {" "}(carried from { $carried })
    }{ $private ->
        [yes] {" "}(private: only you see it; /agenda share { $id } to share it)
       *[no] {""}
    }
agenda-nothing-yet = Nothing on the agenda yet.
agenda-how = The agenda is yours: /agenda add, /agenda private (only you see it until you share it), /agenda vote, /agenda done.
agenda-no-session = No supervision is scheduled for you, so there's no agenda yet.
agenda-empty-text = An agenda item needs a few words.
agenda-added = Added as #{ $id } to the agenda for { $session }. Everyone in that session will see it.
agenda-private-added = Added as #{ $id } for { $session }. Only you see it until you share it with /agenda share { $id }.
agenda-action-added = Action #{ $id } added. /agenda actions lists the open ones.
agenda-unknown = I can't find that item in your supervision. /agenda lists the items with their numbers.
agenda-closed = Item #{ $id } is already done or dropped.
agenda-not-yours = Only the person who added an item can share it.
agenda-shared = Item #{ $id } is shared: everyone in the session sees it now.
agenda-voted = Your vote for #{ $id } is counted.
agenda-voted-already = You've already voted for #{ $id }; one vote each.
agenda-drop-not-yours = Only the person who added an item, or the supervisor, can drop it.
agenda-done = Item #{ $id } is done.
agenda-dropped = Item #{ $id } is dropped.
agenda-actions-heading = Open action items
agenda-action-line = #{ $id } { $text }{ $due ->
        [none] {""}
       *[other] , due { $due }
    }, for:
agenda-due-bad = I couldn't read the due date; write it like due 2026-12-03 at the end.
agenda-no-actions = No open action items.
agenda-digest-heading = On the agenda
agenda-empty-digest = Nothing is on the agenda yet: /agenda add puts something there.

supervision-backup-done = Saved. The backup supervisor, who stands in and hears of gaps, is now:
supervision-backup-is = The backup supervisor is:
supervision-no-backup = The team has no backup supervisor in hearth yet (/supervision backup PERSON).
supervision-away-bad = Please give the first and last day away as dates, like /supervision away 2026-12-01 2026-12-14, not in the past.
supervision-away-done = { $count ->
        [0] None of your sessions fall in those days, so nobody needed telling.
        [one] One of your sessions falls in those days: its participants and the backup have been told.
       *[other] { $count } of your sessions fall in those days: their participants and the backup have been told.
    }
supervision-away-notice = Advance notice: the supervisor is away from { $from } to { $to }, so these sessions need a plan: { $dates }.
supervision-gap-notice = Advance notice: supervision #{ $id } ({ when-words }) has no session planned in the next { $days } days. A supervisor or team admin can schedule more with /supervision schedule.
supervision-ics = The next session is attached as a calendar entry.
supervision-ics-summary = Supervision ({ supervision-style-name })
