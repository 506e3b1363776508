# Words used across hearth. Plain, warm, and never judging.

internal-error = Sorry, something went wrong on my side and I couldn't finish that. Nothing you shared was kept. Please try again in a moment.
expired = That choice has expired, or it belongs to someone else's conversation. Nothing is lost: start again whenever you like.
not-an-answer = I didn't quite catch that. Here's the question again; every step can be skipped.
restarted-ask-again = I restarted while you were answering, and I never keep what you type, so your answers so far are gone. Sorry to ask again: here's the question from the start.
text-without-command = I only answer commands here, so I haven't kept or shared what you wrote. /help lists everything I can do.
field-too-long = That's a little longer than I can take here: at most { $max } characters. Could you shorten it?
field-required = This one needs an answer before I can go on.
not-team-admin = Only team admins can change hearth's settings for the team. A team admin can help if something here should change.

option-not-now = Not now
# Beside a form that is only optional questions, where it is not one dialog (Discord's user picker).
form-skip = Not now
option-pass = Pass

resources-heading = Support, if you want it
resources-default =
    If you are in danger, or might act on thoughts of harming yourself, please contact your local emergency services now.
    Your team hasn't added its own support contacts yet. A team admin can add them with /setup resources.

command-empty = { $platform ->
        [matrix] Type a command after the “!”, for example /checkin. /help lists them all.
       *[other] Type a command after the slash, for example /checkin. /help lists them all.
    }
command-unknown = I don't know a command called "{ $given }". /help lists everything I can do.
command-unknown-sub = /{ $command } doesn't have "{ $given }". /help { $command } shows what it can do.
command-missing = /{ $command } needs one more thing — { $what }. /help { $help } shows how to use it.
command-needs-sub = /{ $command } needs a little more. /help { $command } shows what it can do.
command-invalid = That doesn't fit /{ $command }. /help { $help } shows how to use it.
command-too-long = That's longer than /{ $command } can take: at most { $max } characters there. Nothing has changed.
command-too-long-line = That's longer than I can read as a command (at most { $max } characters). Nothing has changed.
# A private command typed in a team room, where everyone can read it (Matrix). The answer
# goes to the person's direct room with hearth; the words must not claim the message was removed.
command-private = /{ $usage } stays between you and me, so I only take it here, in our direct room. Type it again here and nobody else will see it. Commands typed in the team room stay in its history for everyone to read: I've asked to remove yours, which works when I'm a moderator there. If it's still showing, you can delete it yourself.
command-too-many = /{ $command } was given more than it takes. /help { $help } shows how to use it.
hint-number = It needs a whole number from { $min } to { $max }.
hint-whole-number = It needs a whole number, like 3.
hint-one-of = It needs one of: { $words }.
hint-timezone = It needs a timezone name such as Europe/London, America/New_York or Australia/Sydney.
bad-timezone = I don't recognise the timezone "{ $given }". Try a name such as Europe/London, America/New_York or Australia/Sydney.

# A number of minutes, for the messages that refer to it (they pass $minutes).
minutes-count = { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }
