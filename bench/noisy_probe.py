"""Noisy news with a second set of invented furniture: the same classes as `noisy.py`,
worded otherwise (written 2026-12-02, after the rules they probe were first written), on
the tune fold's bodies only.

`noisy.py` deals each class's templates to two folds so the check fold measures wording
the rules never saw. This set was written to probe that: which classes do the rules
catch by their class (vocabulary, shape, position) rather than by the phrases they
name? It was then used to build class rules (the interface vocabulary), so it is tuning
data now: read its figures beside `noisy.py --fold check`, never instead of them.

    python bench/noisy_probe.py [--workdir DIR] [--seed N] [--scale K] [--show N]
"""

from __future__ import annotations

import sys

import folds
import noisy

TEMPLATES: dict[str, tuple[str, ...]] = {
 "share": ("Share this article on social media", "Post to X", "Share on LinkedIn", "WhatsApp | Telegram | Messenger",
           "Share ▾", "Forward this story", "Send via email", "Reddit Flipboard Pocket", "Share:", "Save article",
           "Bookmark this page", "Copy URL"),
 "ad": ("— Advertisement —", "Ad Feedback", "Sponsored by {site}", "Content from our partners", "Presented by {site}",
        "Report this ad", "Advertisement - scroll to continue", "From our sponsors", "Partner content", "Ads by {site}",
        "AdChoices", "Promoted"),
 "newsletter": ("Get {site} in your inbox", "Start your day with the {topic} Brief: sign up now.",
                "Sign up to receive breaking news alerts by email.", "Join our mailing list",
                "The best of {site}, delivered weekly. Subscribe free.", "Your email address",
                "Never miss a {topic} update: get our free daily newsletter.", "You're all set! Check your inbox.",
                "Sign me up", "We respect your privacy. Unsubscribe at any time.", "Email newsletters",
                "Like this story? Get more in the {topic} newsletter."),
 "comments": ("Join the conversation", "{n} Comments", "Leave a Reply", "View comments ({n})", "Comment on this story",
              "Be the first to comment", "Show comments", "Add your comment", "Comments are closed.",
              "Log in to comment", "What do you think? Let us know below.", "Reply"),
 "related": ("Read more: {head}", "See also: {head}", "ALSO READ | {head}", "Related: {head}", "READ NEXT: {head}",
             "Recommended: {head}", "Don't miss: {head}", "WATCH: {head}", "More from {site}: {head}",
             "Trending: {head}", "Must read: {head}", "Up next: {head}"),
 "caption": ("Photo: {name} / {site}", "(Image: {site})", "Pictured: {name} at the event on {day}", "Image {n} of {big}",
             "Credit: {name}/{site}", "File photo", "Click to enlarge", "Photograph: {name}", "(Photo courtesy of {name})",
             "Gallery: {n} photos", "Enlarge this image", "Source: {site}"),
 "credit": ("Written by {name}", "Story by {name} | {site}", "{name}, {site} staff", "Posted by {name} on {day}",
            "Author: {name}", "By {name}, Senior Reporter", "{name} | {site}", "Reported by {name}",
            "Words: {name}", "Filed by {name} in {topic}", "By {name} and {name2}", "{name} / For {site}"),
 "nav": ("Home > {topic} > World", "Menu", "Search", "Home | News | {topic} | Sport | Weather", "Skip to main content",
         "Sections", "☰ Menu", "Log in | Register", "Top Stories  Local  National  World", "Back to top", "Go to {topic}",
         "Subscribe | Sign In"),
 "tags": ("Tags: {topic}, elections, policy", "Filed under: {topic}", "Topics: {topic} · Economy · World",
          "Categories: {topic}", "Keywords: budget, {topic}", "More about: {topic}", "Tagged with {topic}",
          "#{topic} #news", "Explore more on these topics", "Related topics: {topic}", "In this story: {topic}", "TOPICS"),
 "copyright": ("© {site} {n}0{n}1", "All rights reserved © {site}", "Copyright © 2024 {site}. All Rights Reserved.",
               "This material may not be reproduced without permission.", "© 2023 {site} Media Group",
               "Content © {site}", "(c) {site} Ltd", "Terms of Use | Privacy Policy", "Privacy | Terms | Contact",
               "Reproduction prohibited.", "{site} ©", "All content copyright {site}"),
 "app": ("Download the {site} app for the latest news", "Get the app", "Available on the App Store and Google Play",
         "Turn on notifications to get alerts", "Open in app", "Listen to this article", "Read in app",
         "Enable push notifications", "Get our app: iOS | Android", "Install the {site} app", "Audio: listen now", "Play"),
 "paywall": ("This article is for subscribers only.", "Subscribe now for full access", "You have {n} free articles left",
             "Already a subscriber? Log in", "Unlock unlimited access for $1", "Support independent journalism: subscribe today.",
             "Become a member", "Register to continue reading", "Subscriber exclusive", "Get full access",
             "Your support matters. Donate now.", "Start your free trial"),
 "bio": ("{name} is a reporter for {site} covering {topic}.", "{name} covers {topic} for {site}. Reach her at {handle}@example.com.",
         "About the author: {name} writes about {topic}.", "Follow {name} on X @{handle}",
         "{name} is {site}'s {topic} editor.", "Contact the writer: {handle}@example.com",
         "{name} has covered {topic} since 2015.", "Email {name} at {handle}@example.org",
         "More stories by {name}", "View all articles by {name}", "{name} joined {site} in 2019.", "Follow @{handle}"),
 "cookie": ("We use cookies to improve your experience. Accept", "This site uses cookies. Learn more",
            "Manage cookie preferences", "By continuing to browse you agree to our use of cookies.",
            "Accept all cookies", "Cookie settings", "We value your privacy", "Reject all", "Do not sell my personal information",
            "Your privacy choices", "OK, got it", "Privacy settings"),
 "time": ("Updated {time}", "Published {day}", "{n} hours ago", "Last updated: {day} at {time}", "Posted {day}",
          "{n} min read", "First published on {day}", "Modified {day}", "Updated {n} minutes ago", "{day} | {time}",
          "Reading time: {n} minutes", "Yesterday at {time}"),
 "blob": ('<script async src="https://example.com/ads.js"></script>', "document.getElementById('ad-{big}').style.display='none';",
          '{{"@type":"BreadcrumbList","itemListElement":[]}}', "(adsbygoogle = window.adsbygoogle || []).push({{}});",
          "fbq('init', '{big}'); fbq('track', 'PageView');", '<iframe src="https://example.com/embed/{big}"></iframe>',
          "if (window.innerWidth < 768) {{ loadMobileAds(); }}", "<!-- ad slot {big} -->",
          "var utag_data = {{page_type: 'article'}};", "__tcfapi('addEventListener', 2, function() {{}});",
          "@media (max-width:600px){{.ad{{display:none}}}}", "$(document).ready(function(){{ initGallery(); }});"),
}


def main(argv: list[str] | None = None) -> int:
    """Run noisy.py's measurement on the tune fold with these templates (all of them: this
    set has no check half)."""
    noisy.TEMPLATES = {family: lines + lines for family, lines in TEMPLATES.items()}
    noisy.template_fold = lambda index: folds.TUNE
    return noisy.main(["--fold", folds.TUNE, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
