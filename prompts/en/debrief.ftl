# Debriefs: the personal going-home debrief, on-demand debrief requests, and the team's
# end-of-shift debrief. None of these ask anyone to describe an event in detail.

option-end-here = End here
option-got-one = I have it in mind
option-skip = Skip
option-no-thanks = No thanks
option-check-1-day = Check on me in 1 day
option-check-3-days = Check on me in 3 days
option-peer-debrief = Talk it through with a teammate

debrief-intro = A few quiet minutes before going home. Only you see this, nothing you choose is kept, and you can end at any step.
debrief-feeling-ask = How are you, right now?
option-feeling-steady = Steady
option-feeling-stirred = A bit stirred up
option-feeling-heavy = Heavy
debrief-went-well = Bring to mind one thing that went well today, however small. No need to write it down.
debrief-leave-here = Now one thing that was hard. Just name it to yourself; no details needed. Acknowledge it, and leave it here as you go.
debrief-left-here = Thank you. It can stay here.
debrief-need-ask = What do you need before going home?
option-need-rest = Rest
option-need-nourish = Food or water
option-need-move = To move a little
option-need-connect = Someone to talk to
option-need-quiet = Some quiet
debrief-care-rest = Rest counts as part of the work. Could you plan one restful thing for this evening, even ten minutes of doing nothing at all?
debrief-care-nourish = Have a glass of water now, and something to eat before or soon after you leave.
debrief-care-move = A short walk, or a stretch before you leave, can help the day settle in your body.
debrief-care-connect = Reaching out is a strength. A friend, family, or a teammate: who could you talk to tonight?
debrief-care-quiet = Give yourself a quiet few minutes on the way home: no news, no messages, just the journey.
debrief-close-ask = Would anything else help?
debrief-later-ask = Would you like me to check on you later? It would be one private message, nothing more.
debrief-ended = That's fine. Ending here is always fine. Take care getting home.
debrief-done = Thank you for taking this time. Take good care of yourself tonight.
debrief-later-no = Alright. Take good care of yourself.
check-on-me-set = { $days ->
        [one] I'll check on you privately in a day. That's all I'll do.
       *[other] I'll check on you privately in { $days } days. That's all I'll do.
    }
check-on-me-nudge = You asked me to check on you, so: how are you doing? /checkin or /debrief if you'd like, or just let this be a moment to notice.

request-intro = I'll ask teammates who are on shift and available, privately, whether one of them can debrief with you.
request-intro-one = I'll ask them privately whether they can debrief with you now, if they're on shift and available.
request-name-ask = Should they see your name now, or only whoever accepts?
option-name-show = Show my name now
option-name-hide = Only to whoever accepts
option-never-mind = Never mind
request-supervisor-ask = If nobody can within { minutes-count }, may I tell your team's supervisor, with your name, so they can reach out?
option-supervisor-yes = Yes, tell the supervisor
option-supervisor-no = No, don't tell anyone
request-note-ask = { $who ->
        [one] Add a short note if you like. It goes only to the person you named, and hearth doesn't keep it.
       *[team] Add a short note if you like. It goes only to the teammates this request reaches, and hearth doesn't keep it.
    } { $platform ->
        [matrix] Type - to send without one.
       *[other] Leave it empty to send without one.
    }
request-note-title = Ask for a debrief
request-note-field = A short note (optional)
request-not-sent = Nothing was sent. You can ask again whenever you like.
request-already-open = You already have a debrief request open. /debrief cancel closes it if you'd like to start again.
request-yourself = That's you! Name a teammate, or leave the name out to ask everyone who's available.
request-not-found = { $platform ->
        [discord] The person you picked hasn't used hearth in this team yet, so I can't ask them. Leave the person out to ask everyone who's available.
       *[other] I don't know "{ $name }" in this team yet. Leave the name out to ask everyone who's available.
    }
request-target-away = They aren't taking debrief requests right now. Leave the name out to ask everyone who's available.
request-none-open = You have no debrief request open.
request-cancelled = Your request is closed, and the people it reached will see it's no longer open if they answer.
request-nobody-now = Nobody can be asked for a debrief right now: requests reach teammates who are on shift and have said /available on, and none are just now. I'm sorry it's so. You could message someone you trust directly, ask again a little later, or take a few quiet minutes on your own with /debrief. Please be gentle with yourself. These may help too:
request-nobody = Nobody is available for a debrief right now, and I'm sorry it's so. Please be gentle with yourself. These may help:
request-ping-named = { $name } would like a debrief with a teammate, now if you can.
request-ping-unnamed = A teammate would like a debrief, now if you can. You'll see who it is if you accept.
request-ping-note = Their note: { $note }
request-ping-private = { $who ->
        [one] Only you were asked. Saying no is always fine, and nobody is told if you do.
       *[team] Only the teammates this request reaches see it. Saying no is always fine, and nobody is told if you do.
    }
option-accept = I can
option-decline = Not this time
request-sent = { $count ->
        [one] I've asked one teammate
       *[other] I've asked { $count } teammates
    }{ $named ->
        [yes] {""}
       *[other] {""}, without your name
    }. If nobody can within { minutes-count } I'll tell you. Only you see this.
option-cancel-request = Cancel my request
request-gone = This request is closed already: someone else took it, or it was withdrawn. Thank you for being willing.
request-declined = Thank you for saying. No need to explain; nobody is told.
request-accepted-you = Thank you. You're connected with:
request-accepted-them = { $name } accepted your debrief request. You're connected with:
request-accepted-hint = { $room ->
        [thread] I'm opening a private thread for the two of you in the team's debrief channel; hearth doesn't stay in it. People with the Manage Threads permission on this server can see private threads too, so keep details out of it, or talk somewhere else. If Discord doesn't let me open it, I'll tell you both.
        [yes] I'm opening a private space for just the two of you; hearth doesn't stay in it. If it doesn't appear, message each other directly.
       *[no] Send each other a message to find a quiet place and time.
    } { request-accepted-guide }
request-accepted-guide = Talk about how it felt, not the details of what happened.
together-title = { $place ->
        [thread] A debrief for the two of you
       *[other] A debrief, just the two of you
    }
together-welcome = { $place ->
        [thread] This thread is for your debrief. hearth doesn't read what's written here, and is leaving it to you. It is private, but people with the Manage Threads permission on this server can see private threads too.
       *[other] This space is for your debrief, just the two of you. hearth doesn't read what's written here, and is leaving it to you.
    }
together-failed = { $place ->
        [thread] I couldn't open the private thread for you after all: Discord refused, so there is no thread. Please reach out to each other directly, by message:
       *[other] I couldn't open the private space for you after all, so there is none. Please reach out to each other directly, by message:
    }
request-unanswered = Nobody could take your debrief request in time. I'm sorry; that's about timing, not about you. These may help:
request-supervisor-note = A teammate asked for a debrief and nobody was free in time. They agreed that you be told, so you can reach out:
request-supervisor-told = I've let your supervisor know, as you agreed, so they can reach out.
request-no-supervisor = Your team hasn't named a supervisor in hearth, so nobody else was told.

team-debrief-title = End-of-shift debrief, { $date }
team-debrief-heading = End-of-shift debrief
team-debrief-intro = The shift is nearly over. Taking part is optional, and listening counts. Nothing here is recorded by hearth.
team-debrief-ok = Are we OK?
team-debrief-well = One thing that went well.
team-debrief-hard = One hard thing to acknowledge and leave here.
team-debrief-need = What I need before going home.
team-debrief-handover = Anything to hand over, without names or details that could identify the people we support.
team-debrief-close = Take a breath before you go. /debrief offers a private going-home moment too.
