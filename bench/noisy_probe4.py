"""Noisy news with a fourth set of invented furniture: `noisy.py`'s classes and ten more that
sites also print (live-blog controls, summary and key-point boxes, video players, photo
galleries, translation and accessibility switches, score widgets, puzzles, horoscopes and
lottery results, print-edition promotions, tip lines, shopping widgets), on the tune fold's
bodies only. Written 2026-12-03 by a helper as a held-out probe, after the rules and the
earlier three sets, and worded unlike all of them.

A probe of how far the rules generalise: its lines take many shapes (plain labels, full
sentences that speak to the reader, prices, scores and clock times, bars, dots, slashes and
dashes, arrows and emoji, capital labels, questions, trailing colons, and German, French,
Spanish, Italian, Portuguese and Dutch) and reuse none of the phrases in `config/rules.toml`,
`noisy.py`, `noisy_probe.py` or `noisy_probe3.py`, so what is caught here is caught by
class, not by a phrase. The extra classes are added to `noisy.py`'s header, inline and
footer classes from here. Once any rule is built or tuned on these lines they are tuning
data, as the earlier sets' are: read its figures beside `noisy.py --fold check`, never
instead of them.

    python bench/noisy_probe4.py [--workdir DIR] [--seed N] [--scale K] [--show N]
"""

from __future__ import annotations

import sys

import noisy

TEMPLATES: dict[str, tuple[str, ...]] = {
 "share": ("Send this piece to a colleague who has been following the case.", "Gift link created — valid for 7 days", "Repost", "Threads / Signal / SMS",
           "Weitersagen", "Envoyer à un ami", "Compartilhe com seus amigos",
           "If this made you think, forward it to one person who should see it.",
           "Give this article to anyone, even if they don't subscribe.", "SEND TO KINDLE",
           "Copied to your clipboard ✓", "Embed this post </>",
           "Know someone who follows {topic}? They can read this on us."),
 "ad": ("The story carries on after this message", "Brand studio", "Why this ad? ⓘ", "Annonce",
        "Messaggio promozionale", "Advertentie", "Keep scrolling, the report picks up below ↓",
        "Going ad-free costs less than a coffee each month.", "Around the web", "Recommended by Outbrain",
        "Our journalism is funded in part by the businesses you see here.", "Readers who pay for {site} never see boxes like this one.",
        "This section was paid for by an advertiser and not written by our reporters."),
 "newsletter": ("Five things to know before work, in your email each weekday.", "Work or personal address:",
                "Join {big} early risers", "The {topic} Note lands Tuesdays and Thursdays.", "Yes, send it to me",
                "Wochenbriefing per Mail erhalten", "Inscrivez-vous à la matinale", "Apúntate al boletín de la tarde",
                "Almost done — confirm the link we just emailed you.",
                "Not for you? Opt out with one click from any edition.", "Handpicked reads, once a week, no noise.",
                "Our editors write this letter themselves, and it arrives every Sunday at noon.",
                "Something went wrong with your sign-up. Give it another go."),
 "comments": ("{big} readers are talking about this", "Nobody has replied yet, so why not start the thread yourself?", "Most upvoted first",
              "Pick a display name before you post; it will be visible to everyone.", "Civil responses only — see house rules",
              "Every reply is checked by a moderator before it appears beneath the story.",
              "Meinungen der Leser ({n})", "Donnez votre avis", "Discuti con gli altri lettori",
              "Upvote · Downvote · Flag", "{n} new replies — tap to load", "Debate ({n})",
              "This discussion has been paused overnight and reopens at eight tomorrow."),
 "related": ("Go deeper: {head}", "Earlier this year our reporters looked at the same question in detail.", "From the archive: {head}", "Hintergrund: {head}",
             "Sur le même sujet : {head}", "Leia mais: {head}", "The story so far: {head}",
             "Elsewhere on {site}: {head}", "Our pick: {head}", "Fact file: {head}", "Timeline: {head}",
             "If you only read one more thing today, make it this: {head}", "Meer over dit onderwerp: {head}"),
 "caption": ("Photography by {name}", "Tap to expand the picture", "Lead image: {site} / Alamy", "{name} via AP",
             "Bild: {name}", "Foto di {name}", "Residents queue for water outside a community centre on {day}.",
             "Archive picture, not dated", "Satellite imagery © Maxar Technologies", "Graphic by the {site} data team",
             "The view from the harbour wall, as seen from a drone.", "Artwork: {name}",
             "Supporters wave flags as the motorcade passes through the old town."),
 "credit": ("Interviews by {name}", "Text and photos: {name}", "Compiled from agency copy", "{name} reporting from Kyiv",
            "{name}, {site} data desk", "Mit Material von dpa", "Avec AFP", "A cura di {name}",
            "This article was produced jointly with {site} and appears here with permission.",
            "{name} in Washington, with {name2} in Berlin", "{name} in Nairobi did the research that this report draws on.",
            "Additional interviews were carried out by {name2} in Lagos.", "{name} · {topic} correspondent"),
 "nav": ("All sections ▾", "Today's paper", "Live TV", "Sign out", "Rubriken", "Voltar ao início",
         "Metro | Nation | Opinion | Sport | Arts", "News › {topic} › Americas", "Open the site navigation",
         "Articles you save will appear in your reading list on every device.", "Looking for something else? Pick a section from the list above.", "Where to next?",
         "You are reading the {site} international edition; switch to the local site instead?"),
 "tags": ("Themes in this piece:", "{topic} · Energy · Climate", "Stichworte: {topic}, Bundestag",
          "Thèmes associés : {topic}", "Argomenti: {topic}, Governo", "Tap a topic below to find everything we have published on it.", "Add {topic} to your list of interests and we will surface new stories.",
          "Indexed under {topic}", "Story labels: {topic}, Europe", "People mentioned: {name}",
          "Organisations: European Union, NATO", "Hashtags: #{topic} #Budget2025",
          "Follow {topic} to see more of this coverage on your home page."),
 "copyright": ("Northgate Media Ltd trades as {site}.", "Registered office: 1 London Bridge Street, SE1 9GF",
               "Impressum", "Mentions légales", "Riproduzione riservata",
               "Nothing here may be copied or distributed without prior written agreement.",
               "This website is owned and operated by {site} Holdings, a family company.", "Distributed by Tribune Content Agency",
               "A Hearst Newspapers publication", "Sitemap · RSS · Archive", "Content licensed under CC BY-NC 4.0",
               "Est. 1887 · {site} Group plc",
               "Complaints about our journalism can be referred to the press regulator, IPSO."),
 "app": ("Pages load faster in our app", "Rated 4.8 ★ by iPhone users",
         "Set up breaking alerts on your watch", "App herunterladen", "Baixe o aplicativo", "Scarica l'app di {site}",
         "Pick up where you left off on any device once you install {site}.", "Launch {site}",
         "Your news, your phone — {site} for Android and iOS", "Tap ⋮ then Install to pin {site} to the home screen",
         "Hear a one-minute briefing on your smartwatch every morning before you leave.", "We'll buzz you when this story develops. Allow alerts?",
         "Reading on a tablet? Our redesigned edition was built for bigger screens."),
 "paywall": ("Finish this story with a {site} Digital plan", "Introductory offer: {n} months for $1",
             "You've used up your complimentary stories for this month.", "Exclusief voor abonnees",
             "Solo per abbonati", "Weiterlesen mit F+", "Quality journalism costs money. Plans from €{n}.99.",
             "Paying customer? Sign in here", "GO PREMIUM",
             "This is a preview; the full investigation is open to paying readers.", "You can cancel online in two clicks, with no phone call needed.",
             "Choose monthly or annual billing",
             "You have reached your limit of {n} pieces. Come back on the first of the month."),
 "bio": ("{name} has spent {n} years reporting from Madrid for {site}.",
         "{name} previously led the {topic} team at a national broadcaster.",
         "{name} lives in Leeds with two dogs and too many bicycles.", "Send {name} a message", "Latest from {name}",
         "{name} schreibt seit 20{n}{n} über {topic}.", "{name} est correspondant à Bruxelles.",
         "{name} es corresponsal en Bogotá.", "{name} on Bluesky: @{handle}.bsky.social",
         "Awards: Orwell Prize shortlist, 20{n}{n}",
         "{name} studied economics in Glasgow and joined the paper as a trainee.", "Author page ›",
         "Books: The Quiet Border (2021)"),
 "cookie": ("Your privacy matters to us, so nothing is tracked until you choose.",
            "Along with {n}00 partners, {site} uses local storage in your browser to measure audiences.",
            "Essential only", "Save and exit", "Reject non-essential", "Zustimmen und weiter", "Paramétrer les traceurs",
            "Accetta e continua", "Pay or OK: browse ad-free at €{n}.99 monthly", "Vendor list ({n}12)",
            "Performance and analytics cookies help us see which stories people read.", "Strictly necessary — always active",
            "Change your mind whenever you like using the link at the foot of each page."),
 "time": ("Filed {time}", "Updated moments ago", "{day}, {time} local time", "Aktualisiert am {day}", "Mis à jour le {day} à {time}",
          "Pubblicato il {day}", "Originally posted {day}, revised {time}", "Dated material — written in 20{n}{n}",
          "Breaking · {n} min ago", "Time stamp: {time}", "The last changes to this piece were made on {day}.",
          "This article first appeared in the print edition of {day}.",
          "This piece is more than a year old and some details may have changed."),
 "blob": ("<script>window.__INITIAL_STATE__ = {{}};</script>", "chartbeat_config.sections = '{topic}';",
          "apstag.fetchBids({{slots: []}}, function(){{}});", "<style>.paywall-overlay{{display:block}}</style>",
          '<amp-ad width="300" height="250" type="doubleclick"></amp-ad>', "_satellite.pageBottom();",
          "Optanon.ToggleInfoDisplay()", '{{"@type":"ImageObject","contentUrl":"https://cdn.newsimg.net/{big}.jpg"}}',
          "twttr.widgets.load();", '<meta property="og:type" content="article">', "hj('trigger', 'article_view');",
          "s.pageName='{topic}:article:{big}'; s.t();", '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP" alt="">'),
 # classes noisy.py does not have (added to its placements in main)
 "liveblog": ("● LIVE", "{n}2 new posts — tap to refresh", "Auto-refresh on | off", "Pinned post", "Key event",
              "Show latest first", "New posts appear at the top, so scroll upwards to catch the newest.",
              "Live coverage has ended for today; pick up the story here tomorrow.", "Liveticker", "En direct",
              "In diretta", "Refreshing in {n}0 s",
              "Our correspondents are posting updates here as events unfold on the ground."),
 "summary": ("Key takeaways", "At a glance", "The short version:", "Summary generated with AI and checked by an editor.",
             "This summary was produced automatically and may contain mistakes.", "Was this summary helpful? 👍 👎",
             "In Kürze", "L'essentiel", "Claves de la noticia", "Why it matters:", "THE BIG PICTURE",
             "Show full summary ▾", "Here are the main points, readable in under a minute."),
 "video": ("Unmute", "Your video will begin after this short message.", "Autoplay: On", "CC · HD · 1080p",
           "Watch again ↺", "Duration {n}:0{n}", "The next video starts in five seconds unless you press stop.", "Picture-in-picture",
           "Sorry, this clip is not available where you are located.", "Video abspielen", "Lire la vidéo",
           "Reproducir vídeo", "Captions are generated automatically and may not match what is said."),
 "gallery": ("1 / {n}2", "Open slideshow", "Next image →", "Swipe left or right to browse all {n}0 photographs from the scene.", "Exit gallery",
             "PICTURES ▸ {n}8 frames from the week", "Galerie: {n}0 Bilder", "Diaporama", "Fotogalería",
             "Use the arrow keys to move between pictures.", "See every frame in high resolution", "End of gallery",
             "Our photographers picked the strongest images from a week of protests."),
 "translate": ("Select language ▾", "Read in English", "Auf Deutsch lesen", "Lire en français", "Leer en español",
               "This story was translated by machine from the Spanish original and lightly edited.",
               "Machine translation: DeepL", "Easy Read version", "Screen reader mode",
               "A sign language version of this report is available.", "Original language", "Show original text",
               "Translations may miss nuances; the original version prevails."),
 "scores": ("FT: Arsenal 2–1 Chelsea", "HT 0-0", "Live scores ›", "Premier League table", "Q3 8:42 | LAL 78 – BOS 81",
            "Full results and fixtures for every league are in the sport section.", "Bundesliga: Bayern 3:1 Dortmund", "Tous les résultats",
            "Resultados de la jornada", "Stumps: Australia 245/6", "Match centre",
            "Tap any game for its box score and play-by-play.",
            "Scores update every thirty seconds while games are in progress."),
 "puzzles": ("Today's crossword", "Play Sudoku, word games and more in {site} Games.", "Horoscopes",
             "Aries: a money matter needs your attention today.", "Lotto results: 4 · 11 · 19 · 27 · 33 · 40",
             "Powerball jackpot: $1{n}0 million", "Solve the daily mini", "Yesterday's answers", "Horóscopo de hoy",
             "Kreuzworträtsel", "Oroscopo del giorno", "Check your numbers",
             "Keep your streak going by solving a new puzzle every day."),
 "eedition": ("Read the print edition online", "Today's front page ›", "E-paper", "See the newspaper exactly as it was printed, page by page.",
              "Home delivery from £{n}.50 a week", "The weekend paper, on your doormat by 7am", "E-Paper lesen",
              "Le journal du jour en PDF", "Sfoglia il giornale", "Digitale krant", "Browse back issues from 1995",
              "Print subscribers get full digital access at no extra charge.",
              "Every page of tomorrow's newspaper, available from midnight on any device."),
 "tipline": ("Got a tip?", "Know something we should investigate? Contact us in confidence.", "Send us your story ideas",
             "How to contact us securely", "SecureDrop", "WhatsApp the newsdesk: 0{n}7 {big}",
             "Were you affected by this? We would like to hear from you.", "Hinweise an die Redaktion",
             "Écrivez à la rédaction", "Segnala alla redazione", "Upload photos or video of the incident",
             "Press releases: desk@newsroom.io",
             "Sources can reach our investigations team without revealing who they are."),
 "shopping": ("$49 at Amazon", "Check price", "Our tester has used this kettle every day for six months.", "BUY NOW", "Prices correct at time of publication",
              "Items are chosen by our editors; purchases made through these links earn {site} a fee.",
              "£{n}9.99 £{n}4.99 (save 20%)", "Deal of the day", "Bei Amazon ansehen", "Voir l'offre", "Bekijk prijs",
              "Compare 6 retailers ›", "Stock and prices can change quickly, so check the retailer before you buy."),
}
# where the extra classes go on a page (noisy.py's own classes keep their places)
NEW_HEADER = ("liveblog", "summary", "translate", "scores")
NEW_INLINE = ("liveblog", "video", "gallery", "shopping", "tipline")
NEW_FOOTER = ("puzzles", "eedition", "tipline", "shopping", "scores")


def main(argv: list[str] | None = None) -> int:
    """Run noisy.py's measurement on the tune fold with these templates."""
    return noisy.run_probe(TEMPLATES, NEW_HEADER, NEW_INLINE, NEW_FOOTER, argv)

if __name__ == "__main__":
    sys.exit(main())
