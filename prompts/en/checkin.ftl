# The check-in, the stress continuum, and a person's own history.

colour-green = 🟢 Ready
colour-yellow = 🟡 Reacting
colour-orange = 🟠 Injured
colour-red = 🔴 Ill
colour-green-about = 🟢 Ready: calm and coping, able to be there for others.
colour-yellow-about = 🟡 Reacting: some stress, a bit tense, tired or distracted, still getting by.
colour-orange-about = 🟠 Injured: stress is getting in the way; it's hard to focus or to switch off.
colour-red-about = 🔴 Ill: struggling, and could use support now.

checkin-ask = How are you arriving today?
checkin-ask-private = Only you can see this conversation. Pass is always fine and records nothing.
checkin-passed = That's completely fine. Nothing was recorded. Take good care of yourself today.

checkin-green-ack = Good to hear you're arriving ready.
checkin-green-offer = { $where ->
        [room] Anything you'd like to share with the team? If you do, I'll post it in the team room under your name for everyone there to read. I won't keep a copy.
       *[here] Anything you'd like to share with the team? If you do, I'll post it in this channel under your name for everyone here to read. I won't keep a copy.
    }
option-share = Share something
checkin-share-ask = { $where ->
        [room] What would you like to share? Everyone in the team room will see it with your name.
       *[here] What would you like to share? Everyone in this channel will see it with your name.
    } { $platform ->
        [matrix] Type - to skip.
       *[other] Leave it empty to skip.
    }
checkin-share-title = Share with the team
checkin-share-field = Something to share
checkin-shared-post = { $name } shares: { $text }
checkin-shared-done = Posted. Thank you for sharing.

checkin-yellow-ack = Thank you for saying so. Reacting is a normal part of heavy work.
checkin-yellow-offer = Would a one-minute breathing exercise, or a 5-minute break, help right now?
option-breathe = Breathe for a minute
option-take-break = Take a 5-minute break
exercise-breathe-title = One minute of breathing
exercise-breathe =
    Sit so your feet rest on the floor, and let your shoulders drop.
    Breathe in gently through your nose for a count of four.
    Hold for a moment, then breathe out slowly for a count of six.
    Do this five or six times. If your mind wanders, that's fine; come back to the counting.
    When you're ready, notice one thing you can hear around you, and carry on at your own pace.

checkin-orange-ack = Thank you for being honest about how you're arriving. That takes strength.
checkin-orange-offer = Would one of these help right now?
option-ground = A short grounding exercise
option-resources = Show me support options
option-reduce-load = Reduce my load for now (your coordinator hears only that, not why)
option-reduce-load-untold = Reduce my load for now (nobody is told)
exercise-ground-title = Grounding: five, four, three, two, one
exercise-ground =
    Look around and name five things you can see.
    Notice four things you can feel: your feet, the chair, the air, your hands.
    Listen for three things you can hear.
    Find two things you can smell, or two smells you like.
    Name one thing you're looking forward to, however small.
    Take one slow breath. You're here, and you're doing what you can.

checkin-red-ack = Thank you for telling me. You don't have to carry this on your own. Here is where support is; only you can see this.
checkin-red-offer = Would you like me to ask a teammate to reach out to you? They'll get a short private message from me asking them to get in touch. It won't mention your colour or anything you've told me.
option-alert = Ask someone to reach out
checkin-alert-ask = { $platform ->
        [matrix] Who should I ask? Type their name as it appears in the team room, their Matrix id, or mention them. Only they will get my message. Type - to skip.
        [discord] Who should I ask? Pick them below. Only they will get my message.
       *[other] Who should I ask? Type their name as it appears here. Only they will get my message. Leave it empty to skip.
    }
checkin-alert-title = Ask a teammate to reach out
checkin-alert-field = Their name
checkin-alert-not-found = { $platform ->
        [discord] The person you picked hasn't used hearth in this team yet, so I can't reach them through it. Pick someone else, or choose Not now.
        [matrix] I couldn't find "{ $name }" among the people who have used hearth in this team. Try another name, or type - to skip.
       *[other] I couldn't find "{ $name }" among the people who have used hearth in this team. Try another name, or leave it empty to skip.
    }
checkin-alert-yourself = That's you. Who else would you like me to ask?
checkin-alert-message = { $name } asked me to let you know they could use some support right now. Please reach out to them when you can. That's all I know: I don't pass on anything they told me.
checkin-alert-sent = I've asked { $name } to reach out to you. I didn't share your colour or anything you told me.
checkin-alert-sent-unnamed = I've asked the teammate you named to reach out to you. I didn't share your colour or anything you told me.
undelivered-someone = the teammate you named
undelivered-dms-closed = I'm sorry: my message to { $name } didn't arrive, because they don't accept direct messages from me. They don't know yet. You could reach out to them yourself, or ask someone else.
undelivered-other = I'm sorry: my message to { $name } didn't get through just now, so they don't know yet. You could reach out to them yourself, or ask someone else.

checkin-weather-ask = Add your colour to today's team weather? It's anonymous: the team sees only how many people chose each colour, and the figures change only once at least { $min } people have added or changed theirs. Your name is not kept with it.
option-weather-yes = Yes, add it anonymously
option-weather-no = No, thanks
checkin-weather-added = Added to today's team weather, without your name.

checkin-keep-ask = Would you like to keep your colours in a private history? Only you can see it, with /checkin history. It's kept for { $days } days, and /checkin keep off erases it.
option-keep-yes = Yes, keep my history
option-keep-no = No, don't keep it
checkin-kept = Saved to your private history.
checkin-done = Thank you for checking in. Be gentle with yourself today.

history-off = You're not keeping a check-in history, so there's nothing to show. /checkin keep on starts one that only you can see.
history-empty = Your history is on, and there's nothing in it yet.
history-heading = Your check-ins over the last { $days } days (only you can see this)
history-line = { $date }: { $colour ->
        [green] { colour-green }
        [yellow] { colour-yellow }
        [orange] { colour-orange }
       *[red] { colour-red }
    }
keep-on = From now on I'll keep your check-in colours for { $days } days. Only you can see them, with /checkin history.
keep-off =
    { $count ->
        [0] I won't keep your check-in colours. There was nothing to erase.
        [one] I've stopped keeping your check-in colours and erased the one I had.
       *[other] I've stopped keeping your check-in colours and erased the { $count } I had.
    }

shift-nudge = A new shift is starting. If you'd like to, /checkin takes a minute, and only you see your answers. Not today is fine too.
