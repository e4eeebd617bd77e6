"""Noisy news with a third set of invented furniture: `noisy.py`'s classes and ten more that
sites also print (polls, audio players, weather and market widgets, donation asks, event
promotions, job boards, text-size controls, corrections boilerplate, most-read labels),
on the tune fold's bodies only. Written 2026-12-03 by a helper, after the rules and both
earlier sets, and worded unlike all of them.

A probe of how far the rules generalise: its lines take other shapes (capital labels,
arrows and emoji, brackets, bars, counts, questions, trailing colons, prices, German,
French and Spanish) and reuse none of the phrases in `config/rules.toml`, `noisy.py` or
`noisy_probe.py`, so what is caught here is caught by class, not by a phrase. The extra
classes are added to `noisy.py`'s header, inline and footer classes from here. Once a rule
is built or tuned on these lines they are tuning data, as `noisy_probe.py`'s are: read its
figures beside `noisy.py --fold check`, never instead of them.

    python bench/noisy_probe3.py [--workdir DIR] [--seed N] [--scale K] [--show N]
"""

from __future__ import annotations

import sys

import noisy

TEMPLATES: dict[str, tuple[str, ...]] = {
 "share": ("▶ Pass this story on", "SPREAD THE WORD", "Tell a friend about this", "Mastodon · Bluesky · Threads",
           "Diesen Artikel weiterempfehlen", "Partager sur les réseaux", "Comparte esta noticia", "🔗 Link to this page",
           "Found this useful? Pass it along.", "Text | Mail | Snapchat", "Shared {big} times", "Gift this article",
           "Post it to your feed"),
 "ad": ("[ADVERT FEATURE]", "Story resumes below ▼", "Commercial content", "— Paid partnership with {site} —",
        "In association with {site}", "Sponsor message", "Remove adverts for £{n} a month", "Hide this promotion",
        "Espacio patrocinado", "Contenu sponsorisé", "Offers from our commercial partners", "Marketplace ›",
        "A word from {site}"),
 "newsletter": ("Want the {topic} headlines before breakfast? Drop your email below.", "📬 The {topic} Letter — every Friday",
                "E-mail address:", "Count me in", "Sent! Look out for our first edition tomorrow.",
                "Get the evening wrap from {site} — it's free", "Newsletter abonnieren", "Recevez notre lettre d'information",
                "Recibe nuestro boletín cada mañana", "One email a week. Zero spam.",
                "Pick your editions: Morning | Evening | Weekend",
                "We'll only use your email to send you the {topic} Wrap.", "MORNING BRIEF — straight to you at 7am"),
 "comments": ("💬 {n}4 responses", "Have your say", "Speak up below ↓", "Sort by: Newest | Oldest | Most liked",
              "Log on to have your say", "Community guidelines apply", "Posting is disabled for this article.",
              "Kommentar schreiben", "Réagir à cet article", "Opina sobre esta noticia", "Load earlier responses",
              "Flag as inappropriate", "What's your take? Weigh in below.", "Reader forum ({n})"),
 "related": ("➜ Context: {head}", "Next in {topic}: {head}", "[EXPLAINER] {head}", "Catch up: {head}",
             "In case you missed it — {head}", "Lesen Sie dazu: {head}", "À lire également : {head}",
             "Te recomendamos: {head}", "Background | {head}", "{head} (opens in new tab)", "Earlier coverage: {head}",
             "PREVIOUSLY: {head}", "Analysis ▸ {head}"),
 "caption": ("[Picture: {site}]", "📷 {name}", "Swipe for more images ({n}/{n}2)", "Foto: {name}/dpa",
             "Crédit photo : {name}", "Fotografía: {name} / {site}", "Illustration by {name} for {site}", "Supplied",
             "Handout via {site}", "View full-screen", "{name} poses for a portrait on {day}.",
             "Still from video footage released by {site}", "Visual: {name}", "IMAGE ▸ {site} archive"),
 "credit": ("Words by {name}", "{name} — {topic} desk", "{name} with {name2}", "Von {name}", "Par {name}", "Por {name}",
            "{name}, our {topic} writer", "Reporter: {name}", "{name} ✎ {site} Investigations", "From {site}'s {topic} team",
            "As told to {name}", "{name} (@{handle})", "Produced by {name} · Edited by {name2}", "The {site} Newsroom"),
 "nav": ("≡ Departments", "You are here: {topic}", "Jump to content", "⌂ › {topic} › Europe", "Accueil › {topic}",
         "Startseite | {topic} | Wirtschaft | Kultur", "Inicio » {topic}", "My account", "Edition: UK ▾",
         "Close menu ✕", "⬆ Return to top", "Go back", "A–Z index", "Switch to dark mode"),
 "tags": ("TAGGED: {topic} / budget / housing", "Subjects — {topic}, courts", "Mehr zu: {topic}", "Mots-clés : {topic}",
          "Etiquetas: {topic}, Gobierno", "🏷 {topic} · transport · weather", "[{topic}] [Elections] [Courts]",
          "Follow this topic: {topic} +", "Browse more {topic}", "Listed in: {topic}",
          "People in this story: {name}, {name2}", "Places: London, Paris", "Section: {topic}", "Subjects:"),
 "copyright": ("Part of the {site} network", "All content is protected by copyright law.", "Alle Rechte vorbehalten.",
               "Tous droits réservés", "Todos los derechos reservados.", "Imprint | Accessibility | Careers",
               "Published by {site} Ltd, registered in England No. {big}", "Member of the press standards council",
               "Republishing? Read our syndication terms.", "Site design © {site}",
               "Licensing enquiries: rights@example.com", "COPYRIGHT NOTICE:", "Reuse of this page requires written consent."),
 "app": ("📱 Better on the app — tap to open", "Scan the QR code to get {site} on your phone", "🔔 Alert me about {topic}",
         "Continue in browser", "Get {site} for iPhone", "Now on Android: {site} News", "Jetzt die {site}-App laden",
         "Téléchargez l'application {site}", "Descarga la app de {site}", "Add {site} to your home screen",
         "Allow {site} to send you updates? Not now | Allow", "Widgets, offline reading and more — try the app",
         "Hear this story · {n} min"),
 "paywall": ("Free stories used this month: {n}", "Carry on for just £1 a week", "Members-only story", "PLUS ⭐ content",
             "Nur für Abonnenten", "Réservé aux abonnés", "Contenido exclusivo para suscriptores",
             "Cancel anytime. Plans from $4.99/month.", "To see the whole piece, pick a plan.",
             "Existing customer? Restore purchase", "Digital pass: $0.99 for your first month",
             "The rest of this story is for {site} Insiders.", "Got a gift code? Redeem it", "You've hit your limit."),
 "bio": ("{name} spent a decade on the {topic} beat before joining {site}.", "{name} edits the {topic} pages.",
         "Tips? Reach {name} securely on Signal.", "Other work by this author ›", "Author profile: {name}",
         "{name} is based in Berlin and writes on {topic}.", "Before {site}, {name} worked at a regional daily.",
         "{name} ist Redakteurin im Ressort {topic}.", "{name} est journaliste au service {topic}.",
         "{name} es periodista de {site}.", "📧 {handle}@example.net · 🐦 @{handle}", "See {name}'s full archive",
         "{name} (they/them) is a {topic} fellow at {site}."),
 "cookie": ("This website stores small files on your device.", "Necessary only", "Allow selection",
            "We and our {n}00 vendors process data for measurement.", "Consent options ▸", "Alle akzeptieren",
            "Tout refuser", "Aceptar y cerrar", "Customise tracking", "Customize my choices", "Legitimate interest",
            "Your data, your choice. Review options.", "Opt out of targeted ads"),
 "time": ("⏱ {n} minutes to read", "Refreshed {time}", "Stand: {day}, {time}", "Publié le {day}", "Actualizado {time}",
          "{time}, {day}", "First went live {day}", "Edited {n} hrs ago", "LAST CHANGED {time}",
          "Archived story — more than {n} years old", "Est. read: {n} min", "🕒 {time}", "Just now"),
 "blob": ("window._sf_async_config = {{uid: {big}}};", '<div class="promo-slot" data-slot="{big}"></div>',
          '{{"@type":"Person","name":"{name}"}}', "pbjs.que.push(function(){{ pbjs.requestBids(); }});",
          '<noscript><img src="https://example.com/px?id={big}"/></noscript>', "try {{ Typekit.load(); }} catch(e) {{}}",
          ".sticky-header{{position:fixed;top:0}}", '<link rel="preload" href="/fonts/serif.woff2" as="font">',
          'data-vars-position="inline-{n}"', "!function(e,t){{e.analytics=t}}(window,{{}});",
          "<![CDATA[ var pageId = {big}; ]]>", "ga4.event('scroll_depth', {{pct: {n}0}});", '[embed id="{big}" type="video"]'),
 # classes noisy.py does not have (added to its placements in main)
 "poll": ("Who should lead the party? ▸ Vote", "POLL: Should the city ban cars from the centre?", "Yes — {n}1%",
          "No — {n}4%", "Not sure ({n}%)", "{big} votes so far", "Cast your vote", "See results ›",
          "Umfrage: Wer gewinnt die Wahl?", "Sondage : êtes-vous pour ?", "Encuesta: ¿Está de acuerdo?",
          "This poll is not scientific and reflects only the views of those who chose to take part.",
          "Thanks — your vote has been counted.", "Quick poll:"),
 "audio": ("▶ Listen · {n}:4{n}", "🎧 Narrated by {name}", "Play episode {n}", "0:00 / {n}:1{n}", "Speed 1x | 1.5x | 2x",
           "Subscribe on Apple Podcasts · Spotify", "Episode notes:", "Voiced by synthetic speech; errors possible.",
           "THE {topic} HOUR — new episode out now", "Jetzt anhören", "Écouter l'épisode", "Escucha el pódcast",
           "Download MP3 ({n} MB)", "Transcript"),
 "weather": ("☀ London {n}°C", "Partly cloudy, high of {n}2°F", "Your forecast ▸ enter postcode", "WEATHER | {n}°",
             "Wetter: Berlin {n}°", "Météo : Paris {n}° ☁", "El tiempo: Madrid 1{n}°", "Rain likely after {time}",
             "Pollen: High · UV: {n}", "Weather warning in force for your area", "Change location", "7-day outlook",
             "Sunrise 6:2{n} | Sunset 19:4{n}"),
 "ticker": ("FTSE 100 ▲ 0.{n}%", "Dow ▼ 1{n}2.4 pts", "Brent crude $8{n}.10", "GBP/USD 1.2{n}", "BTC $6{n},{n}00",
            "Quotes delayed at least 15 minutes.", "DAX +0,{n} %", "CAC 40 −0,{n} %", "IBEX 35 ▲ 1,{n}%",
            "Gold 2,3{n}0 $/oz", "MARKETS ▸", "S&P 500 | Nasdaq | Dow", "Live prices ›"),
 "donation": ("Chip in $5 to keep local news alive", "❤ Give once | Give monthly",
              "We're {n}0% of the way to our goal of {big} supporters.",
              "Every contribution, big or small, keeps this newsroom going.", "Contribute ➜", "Tax-deductible gifts accepted",
              "Jetzt unterstützen", "Faites un don", "Haz tu aportación", "Choose an amount: $5 · $10 · $25 · Other",
              "Can you spare £3 today?", "{site} is a nonprofit newsroom funded by readers like you.", "Make a gift:"),
 "event": ("Join us live: {site} {topic} Summit, {day}", "🎟 Tickets from £15 — book now", "Save the date: {day}",
           "Webinar at {time} — register free", "EVENTS ▸ What's on this weekend", "Early-bird pricing ends Friday",
           "Meet the journalists behind the story — in person.", "Veranstaltung: {site} Forum", "Soirée débat le {day}",
           "Inscríbete al foro {site}", "Speakers | Agenda | Venue", "Reserve your seat:", "Limited places left"),
 "jobs": ("JOBS BOARD | {n}{n} new vacancies", "Find your next role at {site} Careers", "Hiring: Senior {topic} Producer",
          "Post a job from $99", "Classifieds ▸ Homes · Motors · Pets", "Public notices", "Stellenangebote",
          "Offres d'emploi", "Empleos destacados", "Place an obituary", "Upload your CV",
          "Featured listing: 3-bed semi, £2{n}5,000", "Browse all vacancies:"),
 "print_controls": ("A- A A+", "Text size: Small | Medium | Large", "🖨 Printer-friendly version", "Aa",
                    "Increase font size", "Schriftgröße", "Taille du texte", "Tamaño de letra", "High contrast",
                    "Reader view", "Download as PDF", "Zoom text +", "Line spacing:"),
 "corrections": ("Spotted a mistake? Tell our standards desk.", "Our corrections policy ›",
                 "{site} adheres to the Editors' Code of Practice.", "How we report: read our editorial standards.",
                 "Fact-checked by {name}", "Report an error", "Fehler gefunden? Schreiben Sie uns.", "Signaler une erreur",
                 "Fe de erratas", "Why you can trust {site}", "Complaints: standards@example.com",
                 "Ethics policy | Corrections | Ownership",
                 "Our journalists follow a published code; breaches can be raised with the readers' editor.",
                 "Clarifications and amendments:"),
 "most_read": ("What everyone's reading", "Hot right now 🔥", "#1 {head}", "Top {n} this week:", "Meistgelesen",
               "Les plus lus", "Lo más visto", "Big in {topic} today", "Read by {big} people today",
               "The hour's top reads", "{n}. {head}", "Reader favourites", "Leaderboard — most clicked"),
}
# where the extra classes go on a page (noisy.py's own classes keep their places)
NEW_HEADER = ("weather", "ticker", "print_controls")
NEW_INLINE = ("poll", "audio", "donation", "event")
NEW_FOOTER = ("poll", "donation", "event", "jobs", "corrections", "most_read")


def main(argv: list[str] | None = None) -> int:
    """Run noisy.py's measurement on the tune fold with these templates."""
    return noisy.run_probe(TEMPLATES, NEW_HEADER, NEW_INLINE, NEW_FOOTER, argv)

if __name__ == "__main__":
    sys.exit(main())
