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

EDITOR_UI: dict[str, dict[str, str]] = {
    "edit_entry": {"nb": "Rediger denne oppføringen", "en": "Edit this entry"},
    "describe_new": {"nb": "Beskriv et nytt register eller en ny biobank",
                     "en": "Describe a new registry or biobank"},
    "editor": {"nb": "Redigering", "en": "Editor"},
    "editor_title": {"nb": "Rediger en oppføring", "en": "Edit an entry"},
    "editor_intro": {
        "nb": "Fyll ut skjemaet; kontrollene er de samme som i katalogens CI. Resultatet er "
              "oppføringens YAML-fil, som du laster ned, kopierer eller foreslår i "
              "kodearkivet. Ingenting sendes fra nettleseren din.",
        "en": "Fill in the form; the checks are the same as the catalogue's CI. The result is the "
              "entry's YAML file, which you download, copy or propose in the repository. Nothing "
              "leaves your browser."},
    "editor_nojs": {"nb": "Redigeringen trenger JavaScript. Uten: rediger YAML-filen i metadata/ "
                          "og kjør `catalogue validate`.",
                    "en": "The editor needs JavaScript. Without it: edit the YAML file in "
                          "metadata/ and run `catalogue validate`."},
    "editor_new_registry": {"nb": "Nytt register", "en": "New registry"},
    "editor_new_biobank": {"nb": "Ny biobank", "en": "New biobank"},
    "editor_existing": {"nb": "Eller velg en oppføring", "en": "Or choose an entry"},
    "editor_findings": {"nb": "Kontroller", "en": "Checks"},
    "editor_ci": {"nb": "Nettleseren kjører alle kontroller som bare trenger denne filen, og "
                        "sjekker navn, id-er og lenker mot den publiserte katalogen. CI kjører i "
                        "tillegg Frictionless-kontrollene og sjekker at lenker går begge veier.",
                  "en": "The browser runs every check that needs only this file, and checks names, "
                        "ids and links against the published catalogue. CI also runs the "
                        "Frictionless checks and checks that links go both ways."},
    "editor_output": {"nb": "Resultat", "en": "Result"},
    "editor_file": {"nb": "Fil:", "en": "File:"},
    "editor_download": {"nb": "Last ned", "en": "Download"},
    "editor_copy": {"nb": "Kopier", "en": "Copy"},
    "editor_propose": {"nb": "Foreslå endringen", "en": "Propose this change"},
    "editor_propose_help": {
        "nb": "«Foreslå endringen» åpner filen i kodearkivets nettredigering (teksten er kopiert: "
              "lim den inn), eller siden for en ny fil med stien fylt ut.",
        "en": "\u201cPropose this change\u201d opens the file in the repository's web editor (the "
              "text is copied: paste it), or its new-file page with the path filled in."},
    "editor_diff": {"nb": "Endringer mot publisert versjon", "en": "Changes against the published version"},
    "editor_yaml": {"nb": "Hele YAML-filen", "en": "The whole YAML file"},
}

# What the editor's script says, by language (JSON in the page).
EDITOR_SCRIPT: dict[str, dict[str, object]] = {
    lang: {
        "one_per_line": {"nb": "Én per linje.", "en": "One per line."}[lang],
        "translation_help": {"nb": "Oversettelse (translations).", "en": "Translation (translations)."}[lang],
        "remove": {"nb": "Fjern", "en": "Remove"}[lang],
        "add": {"nb": "Legg til", "en": "Add"}[lang],
        "add_variable": {"nb": "Legg til variabel", "en": "Add a variable"}[lang],
        "move_up": {"nb": "Flytt opp", "en": "Move up"}[lang],
        "move_down": {"nb": "Flytt ned", "en": "Move down"}[lang],
        "actions": {"nb": "Handlinger", "en": "Actions"}[lang],
        "table": {"nb": "Tabell", "en": "Table"}[lang],
        "dictionary": {"nb": "Datakatalog", "en": "Data dictionary"}[lang],
        "external_schema": {"nb": "Variablene står i {file} ved siden av oppføringen; rediger den "
                                  "filen, eller importer et regneark for å legge dem her.",
                            "en": "The variables are in {file} beside the entry; edit that file, or "
                                  "import a sheet to put them here."}[lang],
        "import_sheet": {"nb": "Fyll fra CSV eller XLSX", "en": "Fill from CSV or XLSX"}[lang],
        "import_help": {"nb": "Samme kolonneregler som `catalogue import-dictionary`.",
                        "en": "The same column rules as `catalogue import-dictionary`."}[lang],
        "imported": {"nb": "{n} variabler fra {file}.", "en": "{n} variables from {file}."}[lang],
        "error": {"nb": "Feil", "en": "Error"}[lang],
        "warning": {"nb": "Advarsel", "en": "Warning"}[lang],
        "fix": {"nb": "Slik retter du", "en": "Fix"}[lang],
        "go_to": {"nb": "Gå til feltet", "en": "Go to the field"}[lang],
        "n_findings": {"nb": "{errors} feil, {warnings} advarsler.",
                       "en": "{errors} error(s), {warnings} warning(s)."}[lang],
        "no_findings": {"nb": "Ingen funn: filen er gyldig.", "en": "No findings: the file is valid."}[lang],
        "no_changes": {"nb": "Ingen endringer.", "en": "No changes."}[lang],
        "copied": {"nb": "Kopiert.", "en": "Copied."}[lang],
        "copy_failed": {"nb": "Kunne ikke kopiere; bruk «Last ned».",
                        "en": "Could not copy; use Download."}[lang],
        "loaded": {"nb": "Lastet {path}.", "en": "Loaded {path}."}[lang],
        "started_new": {"nb": "Ny oppføring fra skjelettet til `catalogue new`.",
                        "en": "A new entry from the skeleton of `catalogue new`."}[lang],
        "choose": {"nb": "Velg hva du vil beskrive.", "en": "Choose what to describe."}[lang],
        "not_found": {"nb": "Fant ingen oppføring {entry}.", "en": "No entry {entry}."}[lang],
        "new_registry": {"nb": "Nytt register", "en": "New registry"}[lang],
        "new_biobank": {"nb": "Ny biobank", "en": "New biobank"}[lang],
        "groups": {"summary": {"nb": "Sammendrag", "en": "Summary"}[lang],
                   "coverage": {"nb": "Dekning", "en": "Coverage"}[lang],
                   "access": {"nb": "Tilgang", "en": "Access guidelines"}[lang],
                   "dictionary": {"nb": "Datakatalog", "en": "Data dictionary"}[lang],
                   "biobank": {"nb": "Biobank", "en": "Biobank"}[lang]},
        "col": {"name": {"nb": "Navn", "en": "Name"}[lang], "title": {"nb": "Tittel", "en": "Title"}[lang],
                "description": {"nb": "Beskrivelse", "en": "Description"}[lang],
                "type": "Type", "unit": {"nb": "Enhet", "en": "Unit"}[lang],
                "categories": {"nb": "Kodeliste (1=Mann; 2=Kvinne)", "en": "Codes (1=Male; 2=Female)"}[lang],
                "coding_system": {"nb": "Kodeverk", "en": "Coding system"}[lang],
                "required": {"nb": "Påkrevd", "en": "Required"}[lang],
                "minimum": "Min", "maximum": "Max"},
        "labels": {} if lang == "en" else {
            "title": "Tittel", "description": "Beskrivelse", "name": "Navn (mappenavn)",
            "language": "Språk", "homepage": "Nettside", "keywords": "Søkeord",
            "data_controller": "Dataansvarlig", "data_processor": "Databehandler",
            "registry_type": "Registertype", "registry_stage": "Registerstadium",
            "registry_stage_year": "År for stadium", "themes": "EU-tema",
            "health_categories": "Helsekategorier", "diseases": "Sykdommer (ICD-10)",
            "update_frequency": "Oppdateringsfrekvens", "time_lag_days": "Forsinkelse (dager)",
            "coding_systems": "Kodeverk", "legal_basis": "Rettslig grunnlag", "purpose": "Formål",
            "personal_data": "Personopplysninger", "linked_entries": "Koblede oppføringer",
            "contributors": "Bidragsytere", "licenses": "Lisenser", "publications": "Publikasjoner",
            "issued": "Etablert", "modified": "Endret", "last_reviewed": "Sist gjennomgått",
            "reviewed_by": "Gjennomgått av", "demonstration": "Demonstrasjonsmerknad",
            "start_year": "Startår", "end_year": "Sluttår", "geography": "Geografi",
            "population": "Populasjon", "age_min": "Minste alder", "age_max": "Høyeste alder",
            "number_of_individuals": "Antall individer", "number_of_records": "Antall poster",
            "coverage_rates": "Dekningsgrad", "access_rights": "Tilgangsnivå",
            "decided_by": "Hvem avgjør", "approvals": "Godkjenninger",
            "legal_basis_options": "Mulige rettslige grunnlag", "application_url": "Søknadsadresse",
            "application_route": "Slik søker du", "documents": "Dokumenter",
            "lead_time": "Behandlingstid", "fees": "Gebyr", "conditions": "Vilkår",
            "contact": "Kontakt", "material_types": "Materialtyper",
            "storage_temperatures": "Lagringstemperaturer", "number_of_donors": "Antall givere",
            "number_of_samples": "Antall prøver", "juristic_person": "Juridisk person",
            "email": "E-post", "roles": "Roller", "path": "Adresse (URL)", "note": "Merknad",
        },
    }
    for lang in ("nb", "en")
}
