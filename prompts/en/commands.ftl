# One line about each command, subcommand and argument, for /help and for platforms that
# show descriptions (Discord allows at most 100 characters).

cmd-checkin = Check in: how are you arriving today?
cmd-checkin-now = Start a check-in
cmd-checkin-history = Your own check-in colours, if you chose to keep them
cmd-checkin-keep = Keep your check-in colours privately, or stop and erase them
arg-checkin-keep-choice = on or off
cmd-weather = Team weather: anonymous counts of colours, today and this week
cmd-weather-show = Show the team weather
cmd-help = Explain what hearth can do
cmd-help-show = Explain every command, or one
arg-help-show-command = A command to explain
cmd-privacy = What hearth keeps about you and the team, and for how long
cmd-privacy-show = Show what hearth keeps
cmd-setup = The team's settings: timezone, team weather, support resources
cmd-setup-show = Show the team's settings
cmd-setup-timezone = Set the team's timezone
arg-setup-timezone-timezone = A timezone such as Europe/London
cmd-setup-threshold = Smallest group whose weather is shown (at least 3)
arg-setup-threshold-people = Number of people, 3 or more
cmd-setup-resources = Write the support and crisis resources shown to people
arg-setup-resources-text = The resources, in your team's words
cmd-setup-resources-reset = Go back to hearth's default support text
cmd-setup-shift = The team's shift pattern; each shift start brings one check-in invitation
arg-setup-shift-when = Like: every weekday 08:30-17:00 (or off)
cmd-setup-quiet = Quiet hours, when hearth sends no nudges
arg-setup-quiet-hours = Like: 22:00-07:00 (or off)
