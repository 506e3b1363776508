# Shifts, availability, capacity, and the team settings behind debriefs.

shift-heading = Your shift
shift-on = You're on shift now.
shift-on-until = You're on shift until { $until }.
shift-off = You're off shift now.
shift-pattern-own = Your shift pattern: { $pattern }
shift-pattern-team = The team's shift pattern: { $pattern }
shift-pattern-none = No shift pattern. Set your own with /shift pattern, for example: every weekday 09:00-17:00.
shift-available = { $state ->
        [on] You're taking debrief requests{ $until ->
            [none] {""}
           *[other] {""} until { $until }
        }.
       *[off] You're not taking debrief requests{ $until ->
            [none] {""}
           *[other] {""} until { $until }
        }. /available on when you'd like to.
    }
shift-capacity-low = Your capacity is marked as reduced, so no debrief requests reach you. /capacity normal when you're ready.
shift-started = Your shift has started. It runs until { $until }, team time. /shift end whenever you finish.
shift-ended = Your shift has ended. Thank you for today. If you'd like a few quiet minutes before going home, /debrief is there, just for you.
until-bad = { $problem ->
        [past] That time has already passed.
        [far] That's further ahead than I can plan.
       *[other] I couldn't read that time.
    } Try 17:00, 5pm, tomorrow 09:00 or in 6 hours.
shift-too-long = That's longer than one shift can be (24 hours at most). Could you pick an earlier time?
shift-pattern-done = Saved your shift pattern: { $pattern }, team time. Your next shift starts { $next }; I'll send you one private invitation to check in then. /shift pattern off stops it.
shift-pattern-off = Your own shift pattern is gone. The team's pattern, if it has one, applies to you again.
shift-pattern-span = A shift pattern needs a start and an end time, for example: every weekday 09:00-17:00, or every fri 22:00-06:00.
personal-shift-nudge = Your shift is starting. If you'd like to, /checkin. No need to, and nobody is told either way.

available-done = { $state ->
        [on] You're now taking debrief requests{ $until ->
            [none] {""}
           *[other] {""} until { $until }
        } while you're on shift. A request reaches you privately, and saying no is always fine.
       *[off] You're not taking debrief requests now{ $until ->
            [none] {""}
           *[other] {""}, until { $until }
        }. Nobody is told.
    }
available-invite = One thing, and I'll only say it once: teammates can ask for a debrief with someone when a shift gets heavy. If you'd like those requests to reach you while you're on shift, /available on. Each one comes privately, and saying no is always fine.

capacity-notice = { $state ->
        [low] Capacity update: this teammate's capacity is reduced for now. hearth doesn't ask why, and neither need you.
       *[normal] Capacity update: this teammate's capacity is back to normal.
    }
capacity-told = { $state ->
        [low] Noted. I've told your coordinator only that your capacity is reduced for now, nothing else. No debrief requests will reach you until /capacity normal.
       *[normal] Welcome back to normal capacity. I've let your coordinator know, and nothing else.
    }
capacity-same = { $state ->
        [low] Your capacity is already marked as reduced. Nobody was told again.
       *[normal] Your capacity is already normal. Nobody was told again.
    }
capacity-no-coordinator = { $state ->
        [low] Noted: no debrief requests will reach you until /capacity normal. Your team hasn't named a coordinator in hearth, so nobody was told.
       *[normal] Noted: your capacity is normal. Your team hasn't named a coordinator in hearth, so nobody was told.
    }

setup-debrief = End-of-shift debriefs open in the debrief channel, { minutes-count } before each shift ends
setup-debrief-none = End-of-shift debriefs: no debrief channel (set one with /setup debrief here)
setup-debrief-done = End-of-shift debriefs will open here, as a thread, before each team shift ends. They need a shift pattern with end times (/setup shift every weekday 09:00-17:00). On Discord, two people who pair up for a debrief get a private thread here too; members with Manage Threads can see private threads, so keep that permission to few people.
setup-debrief-off = No debrief channel now, so no end-of-shift debriefs.
setup-debrief-not-here = Please run this in the channel where debriefs should open.
setup-debrief-lead-done = End-of-shift debriefs will open { minutes-count } before each shift ends.
setup-request-wait = A debrief request waits { minutes-count } for someone to accept
setup-request-wait-done = A debrief request now waits { minutes-count } for someone to accept before the person who asked is told.
setup-role = The { role-name }:
setup-role-unset = No { role-name } named ({ $role ->
        [backup-supervisor] /supervision backup PERSON
       *[other] /setup role { $role } PERSON
    }).
# A role's name, for the messages that pass $role.
role-name = { $role ->
        [backup-supervisor] backup supervisor
       *[other] { $role }
    }
setup-role-done = Saved. The team's { role-name } is now:
setup-role-none = No { role-name } is named now.
setup-role-not-found = { $platform ->
        [discord] The person you picked hasn't used hearth in this team yet. They need to have used it here once (for example /help).
       *[other] I don't know "{ $name }" in this team yet. They need to have used hearth here once (for example /help).
    }
