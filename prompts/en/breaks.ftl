# Breaks: the break itself, its exercises and puzzles, "I just served someone", and the
# gentle automatic nudges. Collections are numbered from 1 with no gaps: a team can add
# break-stretch-5, riddle-16 and riddle-16-answer (and so on) in its own prompts folder.

break-ask = { minutes-count } for yourself. What would you like?
break-served = Thank you for the care you just gave. Would { minutes-count } for yourself help before the next person?
break-private = Only you see this, and nobody is told you took a break.
option-break-breathe = Breathe
option-break-stretch = Stretch
option-break-ground = Ground
option-break-puzzle = A small puzzle
option-break-rest = Just rest
option-break-more = 5 more minutes
option-break-end = End the break now
option-puzzle-answer = I have an answer
option-puzzle-reveal = Show the answer
break-not-now = Of course. /break is there whenever you want it.
break-started = Your break runs until { $until }. I'll say welcome back then.
break-running = You're already on a break, until { $until }. { $platform ->
        [discord] Use its buttons for 5 more minutes or to end it.
       *[other] Answer its numbered options for 5 more minutes or to end it.
    }
break-extended = Five more minutes: your break now runs until { $until }.
break-over = This break has already ended. /break starts another whenever you like.
break-welcome-back = Welcome back. I hope that helped, even a little. Go gently.
break-ended-early = Welcome back. Ending early is fine too.
break-buttons = When you're ready:

break-breathe-title = Breathe
break-breathe-1 =
    Breathe in gently through your nose for four counts.
    Hold for a moment.
    Breathe out slowly through your mouth for six counts.
    Repeat five times, letting your shoulders drop a little more each time.
break-breathe-2 =
    Box breathing: in for four, hold for four, out for four, hold for four.
    Trace the sides of a square in your mind as you go. Four rounds is plenty.
break-breathe-3 =
    Put one hand on your chest and one on your belly.
    Breathe so that the lower hand rises more than the upper one.
    Ten slow breaths, then let your breathing find its own pace.
break-breathe-4 =
    Breathe in, and silently say "here".
    Breathe out, and silently say "now".
    Keep going for a minute or two. When thoughts come, let them pass and return to the words.

break-stretch-title = Stretch
break-stretch-1 =
    Roll your shoulders back slowly five times, then forward five times.
    Let your head tilt towards one shoulder, breathe, then the other.
break-stretch-2 =
    Stand up if you can. Reach both arms up high, then let them float down.
    Shake out your hands and feet for ten seconds.
break-stretch-3 =
    Interlace your fingers and push your palms away from you, rounding your upper back.
    Then clasp your hands behind you and open your chest. Hold each for three breaths.
break-stretch-4 =
    Sitting tall, turn gently to look over your right shoulder; hold for three breaths.
    Come back to the middle, then turn to the left. Finish by rolling your wrists and ankles.

break-ground-title = Ground
break-ground-1 =
    Name five things you can see, four you can touch, three you can hear,
    two you can smell, and one you can taste. Go slowly.
break-ground-2 =
    Press your feet into the floor. Notice the weight of your body in the chair.
    Feel the temperature of the air on your hands. You are here, now.
break-ground-3 =
    Pick one object near you and study it as if you'd never seen it before:
    its colours, edges, texture and weight. Stay with it for a minute.
break-ground-4 =
    Hold something cool, like a glass of water, and notice the feeling in your hands.
    Take a sip and follow it all the way down.

break-rest-title = Just rest
break-rest-1 = Nothing to do. Let your eyes rest on something far away, or close them. This time is yours.
break-rest-2 = Step away from the screen if you can. Get a drink of water, look out of a window, and let your mind wander.
break-rest-3 = Sit back and let your hands rest in your lap. There is nothing you need to do for a few minutes.

break-puzzle-title = A small puzzle
puzzle-scramble = Unscramble this word: { $letters }
puzzle-sequence = What comes next? { $numbers }, …
puzzle-riddle = A riddle: { $riddle }
puzzle-answer-ask = What is your answer? Capitals and spaces don't matter.
puzzle-answer-title = Your answer
puzzle-right = That's it! Well done.
puzzle-wrong = Not quite. Have another go, or ask for the answer: no pressure either way.
puzzle-reveal = The answer: { $answer }

# Words for scrambles: common, friendly words, separated by commas.
puzzle-words = garden, window, pencil, blanket, harbour, lantern, meadow, orange, pillow, rocket, saddle, teapot, violin, walnut, ladder, candle, dolphin, feather, giraffe, hammock, island, jigsaw, kettle, lemon, marble, noodle, oyster, parrot, quilt, rabbit, sunset, tiger, umbrella, velvet, wizard, yellow, zebra, biscuit, cactus, donkey, engine, forest, guitar, honey, igloo, jacket, kitten, lizard, magnet, nutmeg, octopus, pepper, river, spider, tomato, turtle, valley, wagon, anchor, bottle, carrot, desert, falcon, glacier, hockey, insect, jungle, koala, mango, needle, orchid, planet, puzzle, raisin, salmon, ticket, unicorn, voyage, whistle, yogurt, basket, cookie, dragon, eagle, fossil, ginger, helmet, iceberg, jelly, kayak, lettuce, muffin, nectar, otter, pebble

riddle-1 = What has keys but can't open locks?
riddle-1-answer = a piano | piano | keyboard | a keyboard
riddle-2 = What gets wetter the more it dries?
riddle-2-answer = a towel | towel
riddle-3 = What has hands but can't clap?
riddle-3-answer = a clock | clock | a watch | watch
riddle-4 = What has a neck but no head?
riddle-4-answer = a bottle | bottle
riddle-5 = What can you catch but not throw?
riddle-5-answer = a cold | cold
riddle-6 = What has many teeth but can't bite?
riddle-6-answer = a comb | comb | a zip | zip | a zipper | zipper
riddle-7 = What goes up but never comes down?
riddle-7-answer = your age | age
riddle-8 = What has one eye but can't see?
riddle-8-answer = a needle | needle
riddle-9 = What is full of holes but still holds water?
riddle-9-answer = a sponge | sponge
riddle-10 = What can travel around the world while staying in a corner?
riddle-10-answer = a stamp | stamp | a postage stamp
riddle-11 = What has legs but doesn't walk?
riddle-11-answer = a table | table | a chair | chair
riddle-12 = The more of them you take, the more you leave behind. What are they?
riddle-12-answer = footsteps | steps | footprints
riddle-13 = What belongs to you, but other people use it more than you do?
riddle-13-answer = your name | name
riddle-14 = What runs but never walks, has a mouth but never talks?
riddle-14-answer = a river | river
riddle-15 = What has a head and a tail but no body?
riddle-15-answer = a coin | coin

breaks-auto-on = I'll send you one gentle nudge if you haven't started a break for { $every } during a shift, at most { $cap } times a shift and never in quiet hours, during a break or while we're talking. /breaks auto off stops them.
breaks-auto-off = No more break nudges. /breaks auto on brings them back.
breaks-show-on = Break nudges are on for you: one gentle nudge during a shift if you haven't started a break for { $every }. /breaks auto off stops them; /breaks auto on every 2h changes how often.
breaks-show-off = Break nudges are off for you. /breaks auto on turns them on: one gentle nudge during a shift if you haven't started a break for 90 minutes (/breaks auto on every 2h for another interval). /break starts a break now.
breaks-auto-bad = I couldn't read that interval. Try 90m, 2h or 1h30m (between 30 minutes and 8 hours).
break-nudge = It's been { $every } since your last break.
break-nudge-ask = Five minutes for yourself? Only you see this, and nobody is told either way.
option-nudge-take = Take a 5-minute break
option-nudge-snooze = Not now (ask again in 30 minutes)
option-nudge-off = Turn these nudges off
break-nudge-snoozed = I'll ask again in 30 minutes, once.
