# Team weather, settings, help and privacy.

weather-heading = Team weather
weather-today = Today
weather-today-as-of = Today, as of { $time } (team time)
weather-week = This week
weather-count = { $colour ->
        [green] { colour-green }
        [yellow] { colour-yellow }
        [orange] { colour-orange }
       *[red] { colour-red }
    }: { $count }
weather-not-enough-today = There aren't enough check-ins today to show without identifying anyone. Counts appear once at least { $min } people have added their colour.
weather-not-enough-week = There aren't enough check-ins this week to show without identifying anyone.
weather-week-note = The week adds up each day's figures as last updated that day, counting only days on which at least { $min } people added their colour.
weather-batches = Today's figures change only once at least { $min } more people have added or changed their colour since the last update, so no single check-in can be seen. Colours added after the day's last update are not shown.
weather-about = Counts only: never names, and never who didn't check in.

setup-heading = hearth's settings for this team
setup-timezone = Timezone: { $timezone }
setup-threshold = Team weather shows counts from { $people } people
setup-resources-custom = Support resources: written by your team
setup-resources-default = Support resources: hearth's default text (add your own with /setup resources)
setup-shift = Shift pattern: { $pattern } (next shift starts { $next })
setup-shift-none = Shift pattern: none (set one with /setup shift)
setup-quiet = Quiet hours: { $hours }
setup-quiet-none = Quiet hours: none
setup-shift-done = Shift pattern saved: { $pattern }. The next shift starts { $next }; at each shift start I'll post one gentle invitation to check in, here.{ $ends ->
        [no] { " " }This pattern has no end time, so no end-of-shift debrief can follow it; write it like every weekday 09:00-17:00 for one.
       *[yes] {""}
    }
setup-shift-off = No shift pattern now, so no shift-start invitations.
setup-shift-not-here = Please set the shift pattern from the team's channel: that's where I'll post the invitations.
setup-shift-repeat = A shift pattern repeats, for example: every weekday 08:30-17:00, or every mon,wed 09:00-17:00.
setup-quiet-done = Quiet hours are now { $hours } (team time). I won't send nudges then.
setup-quiet-off = No quiet hours now.
setup-quiet-bad = I couldn't read those hours. Write them like 22:00-07:00, or off.
when-bad =
    { $problem ->
        [past] That time has already passed.
        [far] That's further ahead than I can plan (about three years at most).
        [cron] That isn't a cron pattern I can read.
        [time] I couldn't read the time of day; use 24-hour time like 14:00, or 2pm.
        [date] I couldn't read the date; write it like 2026-12-03.
       *[other] I couldn't read when you meant.
    } Some ways to say it: every weekday 08:30, every mon,wed 09:00-17:00, every 1st thursday 12:30 (monthly), every 2 weeks tue 14:00, tomorrow 10:00, in 5 minutes, 2027-03-04 14:00, or cron 0 30 8 * * 1-5.
setup-timezone-done = The team's timezone is now { $timezone }.
setup-threshold-done = Team weather now shows counts once at least { $people } people have added their colour.
setup-resources-done = Saved. People who ask for support will see your team's resources.
setup-resources-reset-done = Back to hearth's default support text.

help-heading = What I can do
help-intro = Everything here is optional. Pass and Not now are always fine.
help-command = /{ $command }: { $summary }
help-command-admin = /{ $command }: { $summary } (team admins)
help-usage = /{ $usage }: { $summary }
help-more = /help COMMAND shows more about one command.
help-matrix = Answer my questions by typing an option's number or reacting with it. Some commands stay between you and me, so type them in your direct room with me, not in the team room, where everyone can read them: { $commands }.
help-usage-private = /{ $usage }: { $summary } (in our direct room)
help-console = In this console, /as NAME speaks as someone else on the team and /quit leaves. Type an option's number to choose it.

privacy-heading = What hearth keeps, and for how long
privacy-about-you = About you: your id on this platform, whether you chose to keep a check-in history, your shift, availability and capacity settings, and whether I've invited you to take debrief requests (I do that once). Kept until you erase it (/mydata delete) or the team stops using hearth.
privacy-requests = A debrief request: who asked and who was asked, only while it's open. Then it's erased, and only a count of requests per day remains, for { $days } days. A note sent with a request is never kept.
privacy-breaks = Your breaks: when the one running ends, when you last started one, your nudge settings, and which exercises and puzzles you saw in the last { $days } days (so they don't repeat). Nobody else sees any of it.
privacy-supervision = Supervision: when sessions are, who supervises, who is supervised one-to-one, and the style chosen, kept until the series is cancelled. Agenda items and actions: their words, who added them, whether private (then only their author sees them), status and votes, kept { $days } days after they're done or dropped. They are their authors': when a series ends they stay with whoever wrote them, privately, for their next session (or { $days } days if none comes).
privacy-communities = Communities of practice: each community's name, what it's about, when it gathers, who its members are, who takes turns facilitating and when each last did, kept while the community exists (leaving takes you off it). Topics asked for a gathering: their words and, unless you asked anonymously, who asked, until the gathering starts. Shared resources: their words and who shared them, while the community exists. Members see all of these; a community open to other teams shows them to members from those teams too.
privacy-schedules = Your own shift pattern, break reminders, and a "check on me" you asked for: kept until done or turned off. A record that each scheduled message went out (when, and whether it arrived; never its words) is kept { $days } days.
privacy-history = Your check-in history: only if you choose to keep it, visible only to you, for { $days } days. /checkin keep off erases it.
privacy-weather = Team weather: counts of colours per day, never with names, kept for { $days } days; the team sees them change only after several people have added or changed a colour. While a day lasts, each colour added is kept under a code only the running hearth can work out (its key is never written down), so a second check-in moves a colour instead of adding one; these are deleted when the day ends.
privacy-text = What you type in a check-in is never stored. Something you choose to share is posted where you asked and not kept by hearth.
privacy-conversation = A conversation in progress keeps only which step you're on and your choices so far, for at most a day.
privacy-team = About the team: its timezone, settings, the support resources its admins wrote, and who its coordinator and supervisor are. An end-of-shift debrief leaves only the fact that it was opened.
privacy-who = Supervisors and admins never see anyone's check-ins, breaks or debriefs: no command could show them. The coordinator hears only that someone's capacity is reduced, never why. Logs never contain what anyone typed.
privacy-platform = { $platform ->
        [discord] Discord keeps its own copy of the messages in this server and in your direct messages with hearth, under Discord's terms; hearth can't erase those.
        [matrix] Your homeserver, and the homeserver of everyone in the room, keep the room's history (encrypted, in an encrypted room); hearth can't erase it.
        [console] This conversation runs in a terminal on this computer: hearth sends it nowhere, and what is on the screen is yours.
       *[other] The chat platform keeps its own copy of messages in this conversation; hearth can't erase those.
    }
privacy-mydata = /mydata export sends you everything hearth holds about you; /mydata delete erases it.
