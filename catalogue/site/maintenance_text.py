"""Interface strings of the maintenance features: review cadence, change feeds and the editor.

Kept apart from `i18n.UI` (which merges them in) so these features stay in their own modules.
"""

from __future__ import annotations

MAINTENANCE_UI: dict[str, dict[str, str]] = {
    "last_reviewed": {"nb": "Sist gjennomgått", "en": "Last reviewed"},
    "reviewed_by_x": {"nb": "{date} av {who}", "en": "{date} by {who}"},
    "never_reviewed": {"nb": "Aldri gjennomgått", "en": "Never reviewed"},
    "review_overdue": {"nb": "Gjennomgang forfalt", "en": "Review overdue"},
    "review_overdue_text": {
        "nb": "Eieren har ikke bekreftet denne oppføringen siden {date}; gjennomgang skal skje "
              "hver {months}. måned. Opplysningene kan være utdaterte: sjekk med kontaktpunktet.",
        "en": "The owner has not confirmed this entry since {date}; reviews are due every "
              "{months} months. The details may be out of date: check with the contact point."},
    "review_never_text": {
        "nb": "Eieren har aldri registrert en gjennomgang av denne oppføringen. Opplysningene kan "
              "være utdaterte: sjekk med kontaktpunktet.",
        "en": "The owner has never recorded a review of this entry. The details may be out of "
              "date: check with the contact point."},
    "facet_review": {"nb": "Gjennomgang", "en": "Review"},
    "review_current": {"nb": "Gjennomgått siste år", "en": "Reviewed in time"},
    "review_due": {"nb": "Gjennomgang forfalt", "en": "Review overdue"},
    "watch": {"nb": "Følg endringer (Atom)", "en": "Watch for changes (Atom)"},
    "feed_title_entry": {"nb": "Endringer i {title}", "en": "Changes to {title}"},
    "feed_title_all": {"nb": "Endringer i katalogen", "en": "Changes in the catalogue"},
    "feed_changed": {"nb": "Endret", "en": "Changed"},
    "feed_no_field_change": {"nb": "ingen felt endret (bare formatering eller kommentarer)",
                             "en": "no field changed (formatting or comments only)"},
    "feed_current": {"nb": "gjeldende versjon", "en": "current version"},
    "feed_current_text": {"nb": "Gjeldende versjon av oppføringen (nettstedet er bygget uten "
                                "git-historikk, så tidligere endringer er ikke med).",
                          "en": "The entry's current version (the site was built without git "
                                "history, so earlier changes are not listed)."},
}
