"""The site's two languages: interface strings, vocabulary labels and per-entry fallback.

Bokmål is the main language (served at `/`), English the mirror (served at `/en/`). An entry is
shown in the reader's language where it has one, else in the language it was written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.format.models import EntryBase, LocalisedName
from catalogue.format.vocabularies import vocabulary
from catalogue.site.maintenance_text import EDITOR_UI, MAINTENANCE_UI

LANGS = ("nb", "en")
PREFIX = {"nb": "", "en": "en/"}  # where each language's pages live, from the site root
NAMES = {"nb": "Norsk", "en": "English"}

UI: dict[str, dict[str, str]] = {
    "site_name": {"nb": "Katalog over helseregistre og biobanker",
                  "en": "Catalogue of health registries and biobanks"},
    "home": {"nb": "Hjem", "en": "Home"},
    "catalogue": {"nb": "Katalog", "en": "Catalogue"},
    "organisations": {"nb": "Organisasjoner", "en": "Organisations"},
    "access_guide": {"nb": "Slik får du tilgang", "en": "Access guide"},
    "contributing": {"nb": "Bidra", "en": "Contributing"},
    "entry_format": {"nb": "Oppføringsformat", "en": "Entry format"},
    "reference": {"nb": "Referanse", "en": "Reference"},
    "schema": {"nb": "Skjema", "en": "Schema"},
    "rules": {"nb": "Valideringsregler", "en": "Validation rules"},
    "cli": {"nb": "Kommandolinje", "en": "Command line"},
    "registry": {"nb": "Register", "en": "Registry"},
    "biobank": {"nb": "Biobank", "en": "Biobank"},
    "registries": {"nb": "Registre", "en": "Registries"},
    "biobanks": {"nb": "Biobanker", "en": "Biobanks"},
    "intro": {"nb": "Finn medisinske kvalitetsregistre, sentrale helseregistre og "
                    "forskningsbiobanker, se hvilke variabler de har og fra hvilke år, og les "
                    "hvordan du får tilgang.",
              "en": "Find medical quality registries, central health registries and research "
                    "biobanks, see which variables they record and from which years, and read "
                    "how to get access."},
    "search": {"nb": "Søk", "en": "Search"},
    "search_label": {"nb": "Søk i registre, biobanker og variabler",
                     "en": "Search registries, biobanks and variables"},
    "search_placeholder": {"nb": "f.eks. hjerneslag, HbA1c, kjonn",
                           "en": "e.g. stroke, HbA1c, kjonn"},
    "holds": {"nb": "Katalogen har {registries} registre og {biobanks} biobanker med "
                    "{variables} variabler fra {organisations} organisasjoner.",
              "en": "The catalogue holds {registries} registries and {biobanks} biobanks with "
                    "{variables} variables from {organisations} organisations."},
    "by_region": {"nb": "Oppføringer etter helseregion", "en": "Entries by health region"},
    "by_theme": {"nb": "Oppføringer etter tema (helsekategori)",
                 "en": "Entries by theme (health category)"},
    "newest": {"nb": "Nyeste oppføringer", "en": "Newest entries"},
    "updated": {"nb": "Sist oppdatert", "en": "Recently updated"},
    "all_entries": {"nb": "Se hele katalogen", "en": "Browse the whole catalogue"},
    "filters": {"nb": "Avgrens", "en": "Filter"},
    "apply": {"nb": "Vis treff", "en": "Show results"},
    "clear": {"nb": "Nullstill", "en": "Clear all"},
    "results": {"nb": "{n} treff", "en": "{n} results"},
    "result_one": {"nb": "1 treff", "en": "1 result"},
    "showing": {"nb": "Viser {shown} av {n}", "en": "Showing {shown} of {n}"},
    "more": {"nb": "Vis flere", "en": "Show more"},
    "no_results": {"nb": "Ingen treff. Prøv et annet ord eller fjern et filter.",
                   "en": "No results. Try another word or remove a filter."},
    "matching_variables": {"nb": "Treff i variabler", "en": "Matching variables"},
    "loading": {"nb": "Søker …", "en": "Searching …"},
    "facet_kind": {"nb": "Type", "en": "Kind"},
    "facet_region": {"nb": "Helseregion", "en": "Health region"},
    "facet_controller": {"nb": "Dataansvarlig", "en": "Data controller"},
    "facet_theme": {"nb": "Tema", "en": "Theme"},
    "facet_category": {"nb": "Helsekategori", "en": "Health category"},
    "facet_coding": {"nb": "Kodeverk", "en": "Coding system"},
    "facet_access": {"nb": "Tilgangsvei (hvem avgjør)", "en": "Access route (who decides)"},
    "facet_stage": {"nb": "Registerstadium", "en": "Registry stage"},
    "facet_material": {"nb": "Materialtype", "en": "Material type"},
    "stage_n": {"nb": "Stadium {n}", "en": "Stage {n}"},
    "summary": {"nb": "Sammendrag", "en": "Summary"},
    "description": {"nb": "Beskrivelse", "en": "Description"},
    "dictionary": {"nb": "Dataordbok", "en": "Data dictionary"},
    "access": {"nb": "Slik får du tilgang", "en": "How to get access"},
    "linked": {"nb": "Koblede registre og biobanker", "en": "Linked registries and biobanks"},
    "cite": {"nb": "Slik siterer du", "en": "How to cite"},
    "history": {"nb": "Endringshistorikk", "en": "Change history"},
    "no_history": {"nb": "Ingen historikk (bygget utenfor et git-arkiv).",
                   "en": "No history (built outside a git checkout)."},
    "downloads": {"nb": "Last ned metadata", "en": "Download the metadata"},
    "completeness": {"nb": "Metadatakompletthet", "en": "Metadata completeness"},
    "completeness_of": {"nb": "{n} av {total} valgfrie opplysninger er fylt ut",
                        "en": "{n} of {total} optional details are filled in"},
    "missing": {"nb": "Mangler", "en": "Missing"},
    "demo": {"nb": "Demonstrasjonsmetadata", "en": "Demonstration metadata"},
    "demo_text": {"nb": "Denne oppføringen inneholder illustrerende verdier, ikke registerets "
                        "offisielle opplysninger:",
                  "en": "This entry contains illustrative values, not the official record:"},
    "fallback": {"nb": "Denne teksten finnes bare på {language}.",
                 "en": "This text is only available in {language}."},
    "lang_nb": {"nb": "bokmål", "en": "Norwegian"},
    "lang_en": {"nb": "engelsk", "en": "English"},
    "lang_nn": {"nb": "nynorsk", "en": "Norwegian Nynorsk"},
    "switch": {"nb": "English", "en": "Norsk"},
    "switch_label": {"nb": "Read this page in English", "en": "Les denne siden på norsk"},
    "held_by": {"nb": "Dataansvarlig", "en": "Data controller"},
    "processor": {"nb": "Databehandler", "en": "Data processor"},
    "kind_type": {"nb": "Type", "en": "Type"},
    "stage": {"nb": "Stadium", "en": "Stage"},
    "health_region": {"nb": "Helseregion", "en": "Health region"},
    "years": {"nb": "År", "en": "Years"},
    "until_now": {"nb": "i dag", "en": "present"},
    "geography": {"nb": "Geografi", "en": "Geography"},
    "population": {"nb": "Populasjon", "en": "Population"},
    "individuals": {"nb": "Antall personer", "en": "Number of individuals"},
    "records": {"nb": "Antall registreringer", "en": "Number of records"},
    "ages": {"nb": "Alder", "en": "Ages"},
    "frequency": {"nb": "Oppdateringsfrekvens", "en": "Update frequency"},
    "time_lag": {"nb": "Tidsforsinkelse", "en": "Time lag"},
    "days": {"nb": "{n} dager", "en": "{n} days"},
    "access_rights": {"nb": "Tilgangsnivå", "en": "Access rights"},
    "material": {"nb": "Materialtyper", "en": "Material types"},
    "samples": {"nb": "Antall prøver", "en": "Number of samples"},
    "donors": {"nb": "Antall givere", "en": "Number of donors"},
    "keywords": {"nb": "Emneord", "en": "Keywords"},
    "homepage": {"nb": "Nettside", "en": "Homepage"},
    "last_updated": {"nb": "Sist oppdatert", "en": "Last updated"},
    "coverage_timeline": {"nb": "Dekningsår", "en": "Coverage years"},
    "coverage_rate": {"nb": "Dekningsgrad over tid", "en": "Coverage rate over time"},
    "variable": {"nb": "Variabel", "en": "Variable"},
    "title": {"nb": "Tittel og beskrivelse", "en": "Title and description"},
    "type": {"nb": "Type", "en": "Type"},
    "unit": {"nb": "Enhet", "en": "Unit"},
    "code_list": {"nb": "Kodeliste", "en": "Code list"},
    "coding_system": {"nb": "Kodeverk", "en": "Coding system"},
    "n_variables": {"nb": "{n} variabler", "en": "{n} variables"},
    "step_check": {"nb": "Sjekk at kilden passer", "en": "Check that the source fits"},
    "step_check_text": {"nb": "Les dataordboken og dekningen over. Spørsmål?",
                        "en": "Read the data dictionary and coverage above. Questions?"},
    "step_approvals": {"nb": "Skaff godkjenninger", "en": "Get the approvals"},
    "step_legal": {"nb": "Rettslig grunnlag som kilden godtar:",
                   "en": "Legal bases the source accepts:"},
    "step_documents": {"nb": "Gjør klar dokumentene", "en": "Prepare the documents"},
    "step_apply": {"nb": "Søk", "en": "Apply"},
    "decided_by": {"nb": "Søknaden avgjøres av:", "en": "Decided by:"},
    "apply_here": {"nb": "Søk her", "en": "Apply here"},
    "step_wait": {"nb": "Regn med tid og kostnad", "en": "Expect time and cost"},
    "lead_time": {"nb": "Behandlingstid: {min}–{max} uker.",
                  "en": "Lead time: {min}–{max} weeks."},
    "fees": {"nb": "Gebyr: {min}–{max} kr.", "en": "Fees: NOK {min}–{max}."},
    "step_use": {"nb": "Bruk dataene på vilkårene", "en": "Use the data on the conditions"},
    "contact": {"nb": "Kontakt", "en": "Contact"},
    "general_guide": {"nb": "Les også den generelle veiledningen", "en": "See also the general guide"},
    "publications": {"nb": "Nøkkelpublikasjoner", "en": "Key publications"},
    "accessed": {"nb": "hentet", "en": "accessed"},
    "links_here": {"nb": "lenker hit", "en": "links here"},
    "entries_of": {"nb": "Oppføringer", "en": "Entries"},
    "org_number": {"nb": "Organisasjonsnummer", "en": "Organisation number"},
    "none": {"nb": "Ingen", "en": "None"},
    "role_controller": {"nb": "dataansvarlig", "en": "data controller"},
    "role_processor": {"nb": "databehandler", "en": "data processor"},
    "role_juristic": {"nb": "ansvarlig institusjon", "en": "responsible institution"},
    "chart_table": {"nb": "Tallene i tabell", "en": "The figures as a table"},
    "count": {"nb": "Antall", "en": "Count"},
    "year": {"nb": "År", "en": "Year"},
    "rate": {"nb": "Dekningsgrad (%)", "en": "Coverage rate (%)"},
    "method": {"nb": "Metode", "en": "Method"},
    "docs_in_english": {"nb": "Denne siden finnes foreløpig bare på engelsk.",
                        "en": "This page is only available in English."},
    "variables_word": {"nb": "variabler", "en": "variables"},
    "no_region": {"nb": "Ingen region", "en": "No region"},
    "planner": {"nb": "Tilgangsplanlegger", "en": "Access planner"},
    "planner_rules": {"nb": "Slik regner planleggeren", "en": "How the planner works"},
    "collect": {"nb": "Legg til i studien", "en": "Add to my study"},
    "my_study": {"nb": "Min studie", "en": "My study"},
}

# The planner page's strings; also handed to its script as JSON (see `planner_strings`).
PLANNER_UI: dict[str, dict[str, str]] = {
    "planner_intro": {
        "nb": "Planleggeren setter sammen tilgangsveiledningene til kildene du har valgt, til én "
              "plan: hvilke søknader du sender og til hvem, hvilke godkjenninger du trenger, "
              "rettslig grunnlag, behandlingstid, gebyr og variabelliste. Valgene lagres bare i "
              "nettleseren din.",
        "en": "The planner combines the access guidelines of the sources you picked into one "
              "plan: which applications to send and to whom, the approvals you need, the legal "
              "basis, lead time, fees and the list of variables. Your choices are kept only in "
              "your browser."},
    "planner_nojs": {"nb": "Planleggeren trenger JavaScript.", "en": "The planner needs JavaScript."},
    "planner_loading": {"nb": "Henter veiledningene …", "en": "Fetching the guidelines …"},
    "planner_empty": {"nb": "Du har ikke valgt noen kilder ennå. Bruk «Legg til i studien» i "
                            "katalogen eller på en oppføring.",
                      "en": "You have not picked any sources yet. Use “Add to my study” in the "
                            "catalogue or on an entry's page."},
    "planner_shared": {"nb": "Denne planen kommer fra en lenke. Den er ikke lagret i nettleseren din.",
                       "en": "This plan comes from a link. It is not saved in your browser."},
    "planner_save": {"nb": "Lagre som min studie", "en": "Save as my study"},
    "planner_saved": {"nb": "Lagret som din studie.", "en": "Saved as your study."},
    "share_label": {"nb": "Lenke til denne planen", "en": "Link to this plan"},
    "copy_link": {"nb": "Kopier lenken", "en": "Copy the link"},
    "copied": {"nb": "Lenken er kopiert.", "en": "The link is copied."},
    "print": {"nb": "Skriv ut", "en": "Print"},
    "download_md": {"nb": "Last ned planen (Markdown)", "en": "Download the plan (Markdown)"},
    "download_csv": {"nb": "Last ned variabellisten (CSV)", "en": "Download the variable list (CSV)"},
    "sources_h": {"nb": "Kilder i planen", "en": "Sources in the plan"},
    "remove": {"nb": "Fjern", "en": "Remove"},
    "problems_h": {"nb": "Mangler i veiledningene", "en": "Gaps in the guidelines"},
    "problems_text": {"nb": "Planen under kan være ufullstendig for disse kildene. Spør kilden.",
                      "en": "The plan below may be incomplete for these sources. Ask the source."},
    "unknown_entry": {"nb": "«{id}» finnes ikke i katalogen.", "en": "“{id}” is not in the catalogue."},
    "incomplete": {"nb": "{title} mangler: {what}.", "en": "{title} lacks: {what}."},
    "gap_documents": {"nb": "liste over dokumenter søknaden trenger", "en": "the list of documents to send"},
    "gap_contact": {"nb": "kontakt med e-post eller nettside", "en": "a contact with e-mail or web page"},
    "gap_application_url": {"nb": "søknadsadresse", "en": "the application URL"},
    "gap_lead_time": {"nb": "behandlingstid (min ≤ maks)", "en": "the lead time (min ≤ max)"},
    "gap_fees": {"nb": "gebyr (min ≤ maks)", "en": "the fees (min ≤ max)"},
    "gap_approvals": {"nb": "godkjenninger", "en": "the approvals"},
    "gap_legal_basis_options": {"nb": "rettslig grunnlag", "en": "the legal bases"},
    "gap_data_controller": {"nb": "kjent dataansvarlig", "en": "a known data controller"},
    "approvals_h": {"nb": "Godkjenninger før du søker", "en": "Approvals before you apply"},
    "approvals_text": {"nb": "Hver godkjenning står én gang, med kildene som krever den.",
                       "en": "Each approval is listed once, with the sources that need it."},
    "needed_by": {"nb": "Kreves av: {names}", "en": "Needed by: {names}"},
    "all_sources": {"nb": "alle kildene", "en": "all sources"},
    "groups_h": {"nb": "Søknader du sender", "en": "Applications to send"},
    "groups_text": {"nb": "Én søknad til Helsedataservice for alle kildene den avgjør for, én til hver "
                          "annen dataansvarlig, og én avtale om materialoverføring per biobankeier.",
                    "en": "One application to Helsedataservice for all the sources it decides for, "
                          "one to each other data controller, and one material transfer agreement "
                          "per biobank owner."},
    "group_hds": {"nb": "Én søknad til Helsedataservice", "en": "One application to Helsedataservice"},
    "group_controller": {"nb": "Søknad til {name} (dataansvarlig)",
                         "en": "Application to {name} (data controller)"},
    "group_biobank": {"nb": "Avtale om materialoverføring (MTA) med {name}",
                      "en": "Material transfer agreement (MTA) with {name}"},
    "group_other": {"nb": "Søknad: {name}", "en": "Application: {name}"},
    "covers": {"nb": "Gjelder", "en": "Covers"},
    "apply_at": {"nb": "Søk her", "en": "Apply at"},
    "how_to_apply": {"nb": "Slik søker du", "en": "How to apply"},
    "documents_h": {"nb": "Dokumenter", "en": "Documents"},
    "contact_h": {"nb": "Kontakt", "en": "Contact"},
    "group_fees": {"nb": "Gebyr for denne søknaden: {min}–{max} kr",
                   "en": "Fees for this application: NOK {min}–{max}"},
    "legal_h": {"nb": "Rettslig grunnlag", "en": "Legal basis"},
    "legal_common": {"nb": "Godtas av alle kildene:", "en": "Accepted by every source:"},
    "legal_conflict": {"nb": "Ingen rettslig grunnlag godtas av alle kildene. Kildene er uenige; se "
                             "hvem som ikke godtar hvert grunnlag nedenfor.",
                       "en": "No legal basis is accepted by every source. The sources disagree; see "
                             "below which sources do not accept each basis."},
    "legal_partial": {"nb": "Godtas bare av noen av kildene:", "en": "Accepted by some of the sources only:"},
    "legal_by": {"nb": "godtas av {n} av {total}", "en": "accepted by {n} of {total}"},
    "legal_not_by": {"nb": "ikke av: {names}", "en": "not by: {names}"},
    "time_h": {"nb": "Behandlingstid og gebyr", "en": "Lead time and fees"},
    "lead_range": {"nb": "Behandlingstid: {min}–{max} uker", "en": "Lead time: {min}–{max} weeks"},
    "lead_rule": {"nb": "Søknadene går parallelt, så planen venter på den tregeste kilden, ikke summen: "
                        "minst = det største minimum, maks = det største maksimum blant kildene.",
                  "en": "The applications run in parallel, so the plan waits for the slowest source, "
                        "not the sum: min = the largest minimum, max = the largest maximum of the "
                        "sources."},
    "slowest": {"nb": "Lengst: {name} ({min}–{max} uker).", "en": "Longest: {name} ({min}–{max} weeks)."},
    "fee_range": {"nb": "Gebyr: {min}–{max} kr", "en": "Fees: NOK {min}–{max}"},
    "fee_rule": {"nb": "Summen over søknadene. Helsedataservice tar betalt én gang for hele søknaden (det "
                       "høyeste av kildenes gebyr); hver annen kilde tar betalt for seg.",
                 "en": "The sum over the applications. Helsedataservice charges once for its whole "
                       "application (the highest of its sources' fees); every other source charges "
                       "for itself."},
    "not_counted": {"nb": "Ikke regnet med (mangler tall): {names}.",
                    "en": "Not counted (no figures): {names}."},
    "variables_h": {"nb": "Variabler du ber om", "en": "Variables you request"},
    "variables_text": {"nb": "Kryss av variablene fra kildenes dataordbøker. Valgene lagres i nettleseren "
                             "og tas med i lenken til planen.",
                       "en": "Tick the variables from the sources' data dictionaries. Your ticks are kept "
                             "in the browser and included in the link to the plan."},
    "ticked": {"nb": "{n} av {total} valgt", "en": "{n} of {total} ticked"},
    "ticked_h": {"nb": "Valgte variabler", "en": "Ticked variables"},
    "none_ticked": {"nb": "Ingen variabler er valgt.", "en": "No variables are ticked."},
    "col_source": {"nb": "Kilde", "en": "Source"},
    "col_table": {"nb": "Tabell", "en": "Table"},
    "col_variable": {"nb": "Variabel", "en": "Variable"},
    "var_title": {"nb": "Tittel", "en": "Title"},
    "col_type": {"nb": "Type", "en": "Type"},
    "col_unit": {"nb": "Enhet", "en": "Unit"},
    "decider": {"nb": "Avgjøres av", "en": "Decided by"},
    "plan_title": {"nb": "Tilgangsplan", "en": "Access plan"},
    "plan_link": {"nb": "Planen på nett", "en": "The plan online"},
}
assert not UI.keys() & PLANNER_UI.keys(), "a planner string hides a page string"
UI.update(PLANNER_UI)
UI.update(MAINTENANCE_UI)  # review cadence, change feeds, editor
UI.update(EDITOR_UI)


def planner_strings(lang: str) -> dict[str, str]:
    """The planner's strings in `lang`, for its script."""
    return {k: t(k, lang) for k in PLANNER_UI}


def t(key: str, lang: str, /, **kw: object) -> str:
    """An interface string in `lang`, with `{placeholders}` filled in."""
    text = UI[key].get(lang) or UI[key]["en"]
    return text.format(**kw) if kw else text


def term(vocab: str, term_id: str, lang: str) -> str:
    """A controlled term's label in `lang` (the id when the vocabulary does not know it)."""
    found = vocabulary(vocab).terms.get(term_id)
    return found.text(lang) if found else term_id


def org_name(name: LocalisedName, lang: str) -> str:
    """An organisation's name in `lang`, falling back to bokmål, nynorsk, then English."""
    return getattr(name, lang) or name.nb or name.nn or name.en or ""


@dataclass(frozen=True)
class Localised:
    """An entry's title and description in one language, and which language each is in."""

    title: str
    title_lang: str
    description: str
    description_lang: str


def localise(entry: EntryBase, lang: str) -> Localised:
    """Title and description in `lang` where the entry has them, else in its own language."""
    own = entry.language
    if own == lang:
        return Localised(entry.title, own, entry.description, own)
    tr = entry.translations.get(lang)  # type: ignore[call-overload]
    title = (tr.title, lang) if tr and tr.title else (entry.title, own)
    desc = (tr.description, lang) if tr and tr.description else (entry.description, own)
    return Localised(title[0], title[1], desc[0], desc[1])
