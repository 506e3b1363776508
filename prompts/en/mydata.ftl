# /mydata: what hearth holds about a person, exported or erased, from chat.

mydata-how = /mydata export sends you everything hearth holds about you, as a file only you receive. /mydata delete erases all of it, after asking you once. /privacy says what hearth keeps and why.
mydata-nothing = hearth holds nothing about you: no settings, no history, nothing you wrote. (It didn't keep a note of this question either.)
mydata-export-here = Here is everything hearth holds about you{ $teams ->
        [one] {""}
       *[other] {" "}in { $teams } teams
    }: your settings, your kept check-in colours if you chose to keep them, what you wrote for agendas and communities, your votes, memberships and schedules. Only you received this file. Anonymous topics and team weather are not in it: they were never linked to you.
mydata-delete-what = Erasing means: your settings, availability and shifts, your kept check-in colours, your breaks and reminders, any open debrief request, agenda items and actions you wrote, community memberships, topics with your name, votes and shared resources — all of it, in every team you're in here. Supervision series you supervise or take part in one-to-one are cancelled, and their participants are told that they are; what others wrote on their agendas stays with them. Anonymous topics and team weather stay, because they were never linked to you. Messages already sent on this platform stay too: hearth can't delete those.
mydata-delete-ask = Erase everything hearth holds about you? This can't be undone.
option-erase = Erase it all
option-keep = Keep it
mydata-kept = Nothing has been erased.
mydata-erased = Done: hearth has erased everything it held about you ({ $rows ->
        [one] 1 record
       *[other] { $rows } records
    }). If you use hearth again, it starts afresh.
