# Communities of practice: peers from one team, or several, who meet to learn from each other.

cop-unknown = I can't find a community called "{ $name }" that this team can see. /cop list shows them.
cop-name-bad = A community's name is one word of 2 to { $max } letters, digits or hyphens, such as peer-work or groups-2.
cop-name-taken = There is already a community called { $name } that this team can see. Please pick another name.
cop-name-taken-open = Another team hearth serves here already has a community called { $name }, so it can't be opened under that name. Nothing has changed.
cop-created = Created the community { $name }, with you as its first member. Only people on this team can see and join it; /cop open { $name } on lets the other teams hearth serves here see and join it too. Next: /cop schedule { $name } WHEN in the channel where it will gather.
cop-none = There are no communities of practice yet. /cop create NAME starts one.
cop-list-heading = Communities of practice
cop-line = { $name }{ $about ->
        [none] {""}
       *[other] : { $about }
    } ({ $members ->
        [one] 1 member
       *[other] { $members } members
    }{ $reach ->
        [open] , open to other teams
        [guest] , from another team
       *[team] {""}
    }{ $mine ->
        [yes] , you're in it
       *[no] {""}
    }). { $next ->
        [none] No gathering planned.
       *[other] Next gathering { $next }.
    }
cop-list-how = /cop join NAME to join one, /cop info NAME for more.
cop-not-member = That's for members of { $name }. /cop join { $name } if you'd like to be one.
cop-not-organiser = Planning { $name }'s gatherings and opening it to other teams is for its members on its own team and that team's admins.
cop-not-creator = Closing { $name } is for the person who created it and its team's admins.
cop-joined = Welcome to { $name }. Its other members can see that you're in it (/cop info { $name }), and you'll get a private reminder before each gathering. { $next ->
        [none] No gathering is planned yet.
       *[other] The next one is { $next } (team time).
    } To take a turn facilitating: /cop facilitate { $name } on. You can leave any time with /cop leave { $name }.
cop-joined-already = You're already in { $name }.
cop-left = You've left { $name }: you're off its roster and out of its facilitation rotation. Topics and resources you shared stay with the community.
cop-left-last = You've left { $name }. You were its last member, so the community has closed and hearth has forgotten its gatherings, topics and resources.

cop-info-heading = { $name }
cop-info-about = About: { $about }
cop-info-plan = { $reach ->
        [open] Open to the other teams hearth serves here.
        [guest] A community of another team, open to this one.
       *[team] For this team only.
    } { $when_kind ->
        [none] No gatherings planned.
       *[other] Gathers { when-words }; { $next ->
            [none] no gathering ahead.
           *[other] next { $next } (team time).
        }
    }{ $cancelled ->
        [none] {""}
       *[other] {" "}The gathering on { $cancelled } is called off.
    }
cop-info-not-member = { $count ->
        [one] 1 member.
       *[other] { $count } members.
    } Members see who is in it, its topics and its resources: /cop join { $name }.
cop-info-members = { $count ->
        [one] 1 member:
       *[other] { $count } members:
    }
cop-info-rotation = { $count ->
        [0] Nobody has offered to facilitate yet (/cop facilitate { $name } on).
        [one] 1 person takes turns facilitating.
       *[other] { $count } people take turns facilitating.
    }
cop-info-facilitator = Facilitating the next gathering:
cop-info-no-facilitator = Nobody is facilitating the next gathering yet.
cop-info-counts = { $topics ->
        [0] No topics
        [one] 1 topic
       *[other] { $topics } topics
    } asked for the next gathering (/cop topics { $name }), { $resources ->
        [0] nothing shared yet
        [one] 1 shared resource
       *[other] { $resources } shared resources
    } (/cop resources { $name }).

cop-opened = { $name } is now open: people on the other teams hearth serves here can see it and join it, and once they join they see its members, topics and resources.
cop-open-off = { $name } is for this team only again. { $count ->
        [0] Nobody from another team was in it.
        [one] Its 1 member from another team has been taken off it and told.
       *[other] Its { $count } members from other teams have been taken off it and told.
    }
cop-closed-to-team-notice = The community { $name } is now for its own team only, so you're no longer a member. Thank you for taking part.
cop-closed = { $name } has closed. Its gatherings are off, and hearth has forgotten its members, topics and resources. Its members have been told.
cop-closed-notice = The community { $name } has closed: its gatherings are off, and hearth has forgotten its members, topics and resources.

cop-not-here = Please schedule { $name }'s gatherings from the channel where it will gather: that's where each one opens.
cop-scheduled = { $name } gathers { when-words }. The first gathering is { $next } (team time). It opens in this channel with the topics members asked for{ cop-reminders }
# Only the reminders that will really come ($reminders: off, all, some, none; see
# supervision-reminders).
cop-reminders = { $reminders ->
        [off] .
        [all] ; members get a private reminder with a calendar file { $leads } before { $repeats ->
            [yes] each one.
           *[no] it.
        }
        [some] ; members get a private reminder with a calendar file { $repeats ->
            [yes] { $leads } before each one (before the first, only { $soon }: it's too soon for more).
           *[no] { $soon } before it (it's too soon for more).
        }
       *[none] { $repeats ->
            [yes] ; members get a private reminder with a calendar file { $leads } before each one after the first (the first is too soon for a reminder).
           *[no] . It's too soon for a reminder before it.
        }
    }
cop-unscheduled = { $name } has no gatherings planned any more. Its members, topics and resources stay.
cop-facilitator-is = Facilitating:
cop-no-facilitator = Nobody is facilitating yet: anyone can take a turn with /cop facilitate { $name } on, or the group can open together.
cop-facilitator-you = You're facilitating { $name }'s gathering on { $at } (team time). Thank you! /cop topics { $name } shows what people asked for. If you can't, /cop swap { $name } passes it to the next person in the rotation.
cop-ics-summary = { $name } (community of practice)
cop-no-gathering = { $name } has no gathering planned.
cop-next-heading = Your next gatherings
cop-next-line = { $name }: { $at } (team time){ $cancelled ->
        [none] {""}
       *[other] ; the one on { $cancelled } is called off
    }
cop-next-none = None of your communities has a gathering planned. /cop list shows them all.
cop-already-cancelled = { $name }'s gathering on { $at } is already called off. hearth can call off one gathering at a time; once that date has passed, you can call off another.
cop-cancelled = The gathering of { $name } on { $at } is called off, and its other members have been told. { $after ->
        [none] There is none after it.
       *[other] The next one is { $after }.
    } Topics already asked for carry over to it.
cop-cancelled-notice = { $name }'s gathering on { $at } (team time) is called off. { $after ->
        [none] There is none after it.
       *[other] The next one is { $after }.
    }
cop-facilitate-on = You're in { $name }'s facilitation rotation: you'll be told privately before a gathering you facilitate. /cop facilitate { $name } off takes you out.
cop-facilitate-off = You're out of { $name }'s facilitation rotation. If you were down for the next gathering, it has passed to the next person.
cop-swap-not-you = You're not down to facilitate { $name }'s next gathering, so there's nothing to swap.
cop-swap-nobody = Nobody else in { $name } has offered to facilitate yet, so it can't be passed on. If you can't facilitate, /cop facilitate { $name } off: the group can open together.
cop-swapped = Swapped: you'll come up again after them. Now facilitating { $name }'s next gathering:

cop-reminder = { $minutes ->
        [1440] { $name } gathers tomorrow, { $at } (team time).
       *[other] { $name } gathers in { minutes-count }, at { $at } (team time).
    }
cop-reminder-topics = { $count ->
        [0] No topics asked for yet.
        [one] 1 topic asked for so far.
       *[other] { $count } topics asked for so far.
    } /cop topic { $name } TEXT adds one, /cop topic-anonymous { $name } TEXT without your name. The calendar file adds the gathering to your calendar.

cop-gathering-heading = { $name } is gathering now
cop-gathering-topics = Topics asked for
cop-gathering-topic = { $text }{ $votes ->
        [0] {""}
        [one] {" "}(1 vote)
       *[other] {" "}({ $votes } votes)
    }
cop-gathering-no-topics = Nobody asked for a topic this time: an open conversation.
cop-notice-confidential = What people share here stays here. Speak about your own experience, and take the learning with you, not the stories.
cop-notice-deidentify = When you talk about your work, leave out anything that could identify the people you support: no names, places, dates or details someone could recognise.

cop-topic-empty = What would you like { $name } to talk about? Add it after the name, for example: /cop topic { $name } Keeping boundaries after hours.
cop-topics-full = { $name } already has { $max } topics waiting, which is plenty for one gathering. Please vote for one of them: /cop topics { $name }.
cop-topic-added = Added topic #{ $id } for { $name }'s next gathering. Members of { $name } see it with your name (/cop topics { $name }). When the gathering starts it is posted in its channel without a name, and hearth forgets it.
cop-topic-added-anonymous = Added topic #{ $id } for { $name }'s next gathering, anonymously: hearth stored the topic with no name and no time, so nothing it keeps can tell anyone who sent it. { $platform ->
        [matrix] Your message with it stays in our direct room, which only you and I can read; you can delete it there.{" "}
       *[other] {""}
    }Members of { $name } see it (/cop topics { $name }); when the gathering starts it is posted in its channel, and hearth forgets it.
cop-topics-none = No topics asked for { $name }'s next gathering yet. /cop topic { $name } TEXT adds one.
cop-topics-heading = Topics for { $name }'s next gathering
cop-topic-line = #{ $id } { $text }{ $votes ->
        [0] {""}
        [one] {" "}(1 vote)
       *[other] {" "}({ $votes } votes)
    }{ $anonymous ->
        [yes] , anonymous
       *[no] , asked by
    }
cop-topics-how = /cop vote ID to vote for one (once each).
cop-topic-unknown = I can't find that topic in a community you're in. /cop topics NAME shows them with their numbers.
cop-voted = Voted for topic #{ $id }.
cop-voted-already = You've already voted for topic #{ $id }: one vote each.

cop-share-empty = What would you like to share? Add a link or a few words after the name, for example: /cop share { $name } https://example.org/guide A guide we found helpful.
cop-resources-full = { $name } already keeps { $max } resources, which is as many as hearth keeps for one community.
cop-shared = Shared with { $name }. Its members see it with your name (/cop resources { $name }) for as long as the community exists.
cop-resources-none = Nothing has been shared with { $name } yet. /cop share { $name } LINK-OR-TEXT adds something.
cop-resources-heading = Shared with { $name }
cop-resource-line = { $text } ({ $date }), shared by
