"""English and French for the documents: words, dates, numbers and money, as a small catalogue kept as data.

The GUI translates with Qt; documents are made without Qt (a server or the CLI prints them), hence this catalogue.
Free text that the records hold (a grade's reason, a technician's note) is printed as recorded, never translated.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

LANGUAGES = ("en", "fr")
NBSP = "\u00a0"  # the no-break space French puts before % and € and between thousands (Vera has no U+202F)

# key -> (English, French). Enumerated values are keyed "<group>.<value>".
CATALOGUE: dict[str, tuple[str, str]] = {
    # documents
    "device_report.title": ("Device audit report", "Rapport d'audit de l'appareil"),
    "certificate.title": ("Certificate of data sanitization", "Certificat d'effacement des données"),
    "certificate.subtitle": (
        "NIST SP 800-88 Appendix G — signed with Ed25519",
        "NIST SP 800-88 annexe G — signé avec Ed25519",
    ),
    "lot_report.title": ("Trade-in lot report", "Rapport de lot de reprise"),
    "label.title": ("Device label", "Étiquette de l'appareil"),
    "page": ("Page {page} of {pages}", "Page {page} sur {pages}"),
    "generated": ("Generated {when}", "Généré le {when}"),
    "report_id": ("Report", "Rapport"),
    "digest": ("Content hash (SHA-256)", "Empreinte du contenu (SHA-256)"),
    "qr.report": (
        "The QR code carries the report number and its content hash.",
        "Le QR code contient le numéro du rapport et l'empreinte de son contenu.",
    ),
    "qr.certificate": (
        "The QR code carries the signed payload, the signature and the public key: the certificate can be checked "
        "offline with “refurb-station certificate verify” or any Ed25519 tool.",
        "Le QR code contient le contenu signé, la signature et la clé publique : le certificat se vérifie hors ligne "
        "avec « refurb-station certificate verify » ou tout outil Ed25519.",
    ),
    # sections
    "section.identity": ("Identity", "Identité"),
    "section.inspection": ("Inspection", "Inspection"),
    "section.battery": ("Battery", "Batterie"),
    "section.locks": ("Locks and accounts", "Verrous et comptes"),
    "section.functional": ("Functional tests", "Tests fonctionnels"),
    "section.cosmetic": ("Cosmetic condition", "État esthétique"),
    "section.erasure": ("Data erasure", "Effacement des données"),
    "section.photos": ("Photos", "Photos"),
    "section.signoff": ("Sign-off", "Validation"),
    "section.person": ("Person performing the sanitization", "Personne ayant réalisé l'effacement"),
    "section.media": ("Media", "Support"),
    "section.sanitization": ("Sanitization", "Effacement"),
    "section.signature": ("Signature", "Signature"),
    "section.summary": ("Summary", "Synthèse"),
    "section.reconciliation": ("Reconciliation: declared against audited", "Rapprochement : déclaré et audité"),
    "section.charts": ("Charts", "Graphiques"),
    # identity
    "field.make": ("Make", "Marque"),
    "field.model": ("Model", "Modèle"),
    "field.model_number": ("Model number", "Référence"),
    "field.serial": ("Serial number", "Numéro de série"),
    "field.imei": ("IMEI", "IMEI"),
    "field.storage": ("Storage", "Stockage"),
    "field.colour": ("Colour", "Couleur"),
    "field.family": ("Family", "Famille"),
    "field.state": ("State", "État"),
    "field.lot": ("Lot", "Lot"),
    "field.grade": ("Grade", "Grade"),
    "field.battery": ("Battery", "Batterie"),
    "field.station": ("Station", "Poste"),
    "field.channel": ("Sales channel", "Canal de vente"),
    "field.inspection": ("Inspection", "Inspection"),
    "field.started": ("Started", "Début"),
    "field.ended": ("Ended", "Fin"),
    "field.technician": ("Technician", "Technicien"),
    "field.status": ("Status", "Statut"),
    "field.unknown": ("unknown", "inconnu"),
    "labelled": ("{label}: {value}", "{label}\u00a0: {value}"),
    "field.none": ("—", "—"),
    # battery
    "battery.soh": ("State of health", "État de santé"),
    "battery.cycles": ("Charge cycles", "Cycles de charge"),
    "battery.capacity": ("Full charge / design capacity", "Capacité pleine charge / nominale"),
    "battery.verdict": ("Verdict", "Verdict"),
    "battery.source": ("Source", "Source"),
    "battery.threshold": ("{channel} minimum: {soh}", "Minimum {channel} : {soh}"),
    "battery.recorded": ("Read by {who} on {when}", "Lu par {who} le {when}"),
    "soh_basis.device": ("reported by the device", "indiqué par l'appareil"),
    "soh_basis.capacity": (
        "computed: full charge / design capacity",
        "calculé : capacité pleine charge / nominale",
    ),
    "soh_basis.unknown": ("not readable", "illisible"),
    "battery_verdict.sellable": ("sellable", "vendable"),
    "battery_verdict.replace": ("replace before sale", "à remplacer avant la vente"),
    "battery_verdict.worn": ("worn", "usée"),
    "battery_verdict.unknown": ("unknown", "inconnu"),
    "battery_short.sellable": ("OK", "OK"),
    "battery_short.replace": ("replace", "à changer"),
    "battery_short.worn": ("worn", "usée"),
    "battery_short.unknown": ("?", "?"),
    "battery_band.sellable": ("at or above {soh}", "{soh} ou plus"),
    "battery_band.replace": ("{low} to {high}", "de {low} à {high}"),
    "battery_band.worn": ("below {soh}", "moins de {soh}"),
    "battery_band.unknown": ("unknown", "inconnu"),
    "battery.none": ("No battery reading recorded.", "Aucune mesure de batterie enregistrée."),
    # locks
    "locks.verdict": ("Verdict", "Verdict"),
    "locks.lock": ("Lock", "Verrou"),
    "locks.state": ("State", "État"),
    "locks.evidence": ("Evidence", "Preuve"),
    "locks.none": ("No lock check recorded.", "Aucune vérification des verrous enregistrée."),
    "locks.checked": ("Checked from {source} by {who} on {when}", "Vérifié via {source} par {who} le {when}"),
    "lock_kind.icloud": ("iCloud Activation Lock / Find My", "Verrouillage d'activation iCloud / Localiser"),
    "lock_kind.google_frp": ("Google account (FRP)", "Compte Google (FRP)"),
    "lock_kind.samsung": ("Samsung account (Reactivation Lock)", "Compte Samsung (verrou de réactivation)"),
    "lock_kind.mdm": ("MDM / remote management", "MDM / gestion à distance"),
    "lock_kind.firmware_password": ("Firmware (BIOS/UEFI) password", "Mot de passe du micrologiciel (BIOS/UEFI)"),
    "lock_kind.computrace": ("Absolute / Computrace persistence", "Persistance Absolute / Computrace"),
    "lock_state.on": ("on", "activé"),
    "lock_state.off": ("off", "désactivé"),
    "lock_state.unknown": ("unknown", "inconnu"),
    "lock_state.not applicable": ("not applicable", "sans objet"),
    "lock_verdict.clear": ("clear", "aucun verrou"),
    "lock_verdict.locked": ("locked", "verrouillé"),
    "lock_verdict.unknown": ("unknown", "inconnu"),
    "lock_verdict.not_checked": ("not checked", "non vérifié"),
    # functional
    "functional.test": ("Test", "Test"),
    "functional.outcome": ("Result", "Résultat"),
    "functional.how": ("How measured", "Mesure"),
    "functional.by": ("By", "Par"),
    "functional.note": ("Note", "Remarque"),
    "functional.none": ("No functional test recorded.", "Aucun test fonctionnel enregistré."),
    "functional.samples": (
        "%1: charging current measured by the USB meter",
        "%1 : courant de charge mesuré par le wattmètre USB",
    ),
    "outcome.pass": ("pass", "réussi"),
    "outcome.fail": ("fail", "échec"),
    "outcome.skipped": ("skipped", "non fait"),
    "outcome.not applicable": ("not applicable", "sans objet"),
    "measured_by.automatic": ("automatic", "automatique"),
    "measured_by.manual": ("by hand", "manuel"),
    "measured_by.instrument": ("instrument", "instrument"),
    "functional_verdict.functional": ("functional", "fonctionnel"),
    "functional_verdict.not_functional": ("not functional", "non fonctionnel"),
    "functional_verdict.incomplete": ("incomplete", "incomplet"),
    # test titles (by test id; a test not listed keeps the test plan's English title)
    "test.power_on_off": ("Powers on and off", "S'allume et s'éteint"),
    "test.charging": ("Charges from its charger", "Se recharge avec son chargeur"),
    "test.battery": ("Battery present and readable", "Batterie présente et lisible"),
    "test.wifi": ("Wi-Fi", "Wi-Fi"),
    "test.bluetooth": ("Bluetooth", "Bluetooth"),
    "test.gps": ("GPS / location", "GPS / localisation"),
    "test.cellular": ("Cellular network and SIM", "Réseau mobile et SIM"),
    "test.carrier_unlock": ("Carrier unlocked", "Désimlocké"),
    "test.microphones": ("Microphones", "Microphones"),
    "test.loudspeaker": ("Loudspeaker", "Haut-parleur"),
    "test.earpiece": ("Earpiece", "Écouteur interne"),
    "test.camera_rear": ("Rear camera(s)", "Appareil(s) photo arrière"),
    "test.camera_front": ("Front camera", "Caméra avant"),
    "test.flash": ("Flash / torch", "Flash / lampe"),
    "test.face_id": ("Face ID", "Face ID"),
    "test.touch_id": ("Touch ID / fingerprint reader", "Touch ID / lecteur d'empreinte"),
    "test.buttons": ("Buttons", "Boutons"),
    "test.vibration": ("Vibration", "Vibreur"),
    "test.touchscreen": ("Touchscreen", "Écran tactile"),
    "test.display": ("Display", "Affichage"),
    "test.proximity_sensor": ("Proximity sensor", "Capteur de proximité"),
    "test.ambient_light": ("Ambient light sensor", "Capteur de luminosité"),
    "test.liquid_indicators": ("No oxidation", "Aucune oxydation"),
    "test.no_jailbreak": ("Not jailbroken", "Non jailbreaké"),
    "test.genuine_parts": ("Genuine parts", "Pièces d'origine"),
    "test.fingerprint": ("Fingerprint sensor", "Capteur d'empreinte"),
    "test.no_root": ("Not rooted, bootloader locked", "Non rooté, bootloader verrouillé"),
    "test.nfc": ("NFC", "NFC"),
    "test.keyboard": ("Keyboard (every key)", "Clavier (toutes les touches)"),
    "test.keyboard_backlight": ("Keyboard backlight", "Rétroéclairage du clavier"),
    "test.trackpad": ("Trackpad", "Pavé tactile"),
    "test.webcam": ("Webcam", "Webcam"),
    "test.ports": ("Ports", "Ports"),
    "test.speakers": ("Speakers", "Haut-parleurs"),
    "test.microphone": ("Microphone", "Microphone"),
    "test.hinge": ("Hinge", "Charnière"),
    "test.storage_health": ("Storage health", "Santé du stockage"),
    "test.no_firmware_password": ("No firmware password", "Aucun mot de passe firmware"),
    "test.cameras_present": ("Cameras detected", "Caméras détectées"),
    "test.sensors_present": ("Sensors detected", "Capteurs détectés"),
    "test.touchscreen_present": ("Touch screen detected", "Écran tactile détecté"),
    # photos
    "photo_view.screen_on": ("screen on", "écran allumé"),
    "photo_view.screen_off": ("screen off", "écran éteint"),
    "photo_view.back": ("back", "dos"),
    "photo_view.left": ("left side", "côté gauche"),
    "photo_view.right": ("right side", "côté droit"),
    "photo_view.top": ("top", "dessus"),
    "photo_view.bottom": ("bottom", "dessous"),
    "photo_view.defect": ("defect close-up", "gros plan d'un défaut"),
    "photo.unreadable": ("(image not readable here)", "(image illisible ici)"),
    # cosmetic
    "cosmetic.zone": ("Zone", "Zone"),
    "cosmetic.defect": ("Defect", "Défaut"),
    "cosmetic.severity": ("Severity", "Gravité"),
    "cosmetic.none": ("No cosmetic defect recorded.", "Aucun défaut esthétique relevé."),
    "cosmetic.rule": ("Rule that decided it", "Règle appliquée"),
    "cosmetic.rubric": ("Rubric {version}, graded by {who} on {when}", "Grille {version}, noté par {who} le {when}"),
    "cosmetic.ungraded": ("Not graded yet.", "Pas encore noté."),
    "cosmetic.ctia": ("CTIA", "CTIA"),
    "zone.screen": ("screen", "écran"),
    "zone.back": ("back", "dos"),
    "zone.sides": ("sides", "tranches"),
    "zone.camera_lens": ("camera lens", "lentille photo"),
    "zone.lid": ("lid", "capot"),
    "zone.keyboard": ("keyboard", "clavier"),
    "zone.trackpad": ("trackpad", "pavé tactile"),
    "zone.base": ("base", "coque inférieure"),
    "defect.scratch": ("scratch", "rayure"),
    "defect.scuff": ("scuff", "éraflure"),
    "defect.dent": ("dent", "bosse"),
    "defect.chip": ("chip", "éclat"),
    "defect.crack": ("crack", "fissure"),
    "defect.discolouration": ("discolouration", "décoloration"),
    "defect.dead_pixel": ("dead pixel", "pixel mort"),
    "defect.burn_in": ("burn-in", "marquage"),
    "defect.worn_keys": ("worn keys", "touches usées"),
    "defect.missing_part": ("missing part", "pièce manquante"),
    "severity.micro": ("micro (invisible at 20 cm)", "micro (invisible à 20 cm)"),
    "severity.light": ("light (invisible at 50 cm)", "léger (invisible à 50 cm)"),
    "severity.visible": ("visible at 50 cm", "visible à 50 cm"),
    "severity.heavy": ("heavy", "important"),
    "grade.premium": ("Premium", "Premium"),
    "grade.excellent": ("Excellent", "Parfait état"),
    "grade.very_good": ("Very good", "Très bon état"),
    "grade.good": ("Good", "Bon état"),
    "grade.fair": ("Fair", "État correct"),
    "grade.not_sellable": ("Not sellable", "Non vendable"),
    "grade.not_graded": ("Not graded", "Non noté"),
    # erasure
    "erasure.status": ("Status", "Statut"),
    "erasure.method": ("Method", "Méthode"),
    "erasure.nist": ("NIST SP 800-88 category", "Catégorie NIST SP 800-88"),
    "erasure.tool": ("Tool", "Outil"),
    "erasure.verification": ("Verification", "Vérification"),
    "erasure.verification_result": ("Verification result", "Résultat de la vérification"),
    "erasure.started": ("Started", "Début"),
    "erasure.finished": ("Finished", "Fin"),
    "erasure.duration": ("Duration", "Durée"),
    "erasure.bytes": ("Bytes erased", "Octets effacés"),
    "erasure.by": ("Performed by", "Réalisé par"),
    "erasure.certificate": ("Certificate", "Certificat"),
    "erasure.none": ("No erasure recorded.", "Aucun effacement enregistré."),
    "erasure_status.erased": ("ERASED", "EFFACÉ"),
    "erasure_status.failed": ("FAILED", "ÉCHEC"),
    "erasure_status.aborted": ("ABORTED", "INTERROMPU"),
    "nist.clear": ("Clear", "Clear (effacement)"),
    "nist.purge": ("Purge", "Purge"),
    "nist.destroy": ("Destroy", "Destroy (destruction)"),
    "verification_result.passed": ("passed", "réussie"),
    "verification_result.failed": ("failed", "échouée"),
    "verification_result.not verified": ("not verified", "non vérifié"),
    # certificate
    "cert.id": ("Certificate number", "Numéro du certificat"),
    "cert.issued_at": ("Issued", "Émis le"),
    "cert.issued_by": ("Issued by", "Émis par"),
    "cert.station": ("Station", "Poste"),
    "cert.person": ("Name", "Nom"),
    "cert.role": ("Role", "Fonction"),
    "cert.media_type": ("Media type", "Type de support"),
    "cert.media_source": ("Media source", "Origine du support"),
    "cert.manufacturer": ("Manufacturer", "Fabricant"),
    "cert.fingerprint": ("Public key fingerprint (SHA-256)", "Empreinte de la clé publique (SHA-256)"),
    "cert.signature": ("Signature (Ed25519, base64)", "Signature (Ed25519, base64)"),
    "cert.public_key": ("Public key", "Clé publique"),
    "cert.no_public_key": (
        "not embedded: the station's current key did not sign this certificate",
        "non incluse : la clé actuelle du poste n'a pas signé ce certificat",
    ),
    "cert.barcode": ("Model:serial", "Modèle:série"),
    "cert.format": ("Format", "Format"),
    "cert.location": ("Location", "Lieu"),
    "cert.destination": ("Post-sanitization destination", "Destination après effacement"),
    "cert.device": ("Device", "Appareil"),
    "cert.bus": ("Bus", "Bus"),
    "cert.size": ("Size", "Capacité"),
    "cert.errors": ("Errors", "Erreurs"),
    "cert.erasure_id": ("Erasure record", "Enregistrement d'effacement"),
    "cert.media_erased": ("Every medium erased in this pass", "Tous les supports effacés lors de ce passage"),
    "destination.resale": ("resale", "revente"),
    "destination.recycling": ("recycling", "recyclage"),
    "destination.return": ("return to owner", "retour au propriétaire"),
    # lot report
    "lot.reference": ("Lot", "Lot"),
    "lot.partner": ("Partner", "Partenaire"),
    "lot.quoted_on": ("Quoted on", "Devis du"),
    "lot.received": ("Received", "Reçu le"),
    "lot.received_by": ("Received by", "Reçu par"),
    "lot.devices": ("Devices declared", "Appareils déclarés"),
    "lot.quoted_total": ("Quoted total", "Total du devis"),
    "lot.counter_offer": ("Counter-offer total", "Total de la contre-offre"),
    "lot.not_valued": (
        "{count} line(s) not valued (refused, re-quote, expired or not audited): nothing is offered for them.",
        "{count} ligne(s) non valorisée(s) (refus, nouveau devis, devis expiré ou non auditée) : "
        "rien n'est proposé pour elles.",
    ),
    "lot.by_status": ("By verdict", "Par verdict"),
    "lot.by_grade": ("By audited grade", "Par grade audité"),
    "lot.by_lock": ("By lock check", "Par vérification des verrous"),
    "lot.by_battery": ("By battery health", "Par santé de la batterie"),
    "lot.count": ("Devices", "Appareils"),
    "lot.col.line": ("#", "N°"),
    "lot.col.declared": ("Declared", "Déclaré"),
    "lot.col.audited": ("Audited", "Audité"),
    "lot.col.battery": ("Battery", "Batterie"),
    "lot.col.quoted": ("Quoted", "Devis"),
    "lot.col.adjusted": ("Offered", "Proposé"),
    "lot.col.status": ("Verdict", "Verdict"),
    "lot.col.reasons": ("Reasons", "Motifs"),
    "lot.chart.grades": ("Audited grade distribution", "Répartition des grades audités"),
    "lot.chart.soh": (
        "Battery state of health (devices per 5 % band)",
        "Santé batterie (appareils par tranche de 5 %)",
    ),
    "lot.chart.no_soh": ("No battery reading in this lot.", "Aucune mesure de batterie dans ce lot."),
    "status.pending": ("not audited", "non audité"),
    "status.match": ("match", "conforme"),
    "status.adjusted": ("adjusted", "ajusté"),
    "status.requote": ("re-quote", "nouveau devis"),
    "status.refused": ("refused", "refusé"),
    "status.expired": ("quote expired", "devis expiré"),
    "status.audit_incomplete": ("audit incomplete", "audit incomplet"),
    # sign-off
    "signoff.technician": ("Technician", "Technicien"),
    "signoff.auditor": ("Auditor", "Auditeur"),
    "signoff.pending": ("awaiting an auditor's review", "en attente de la revue d'un auditeur"),
    "review.approved": ("approved", "approuvé"),
    "review.rejected": ("rejected", "rejeté"),
    # device states and families
    "device_state.connected": ("connected", "connecté"),
    "device_state.identified": ("identified", "identifié"),
    "device_state.inspected": ("inspected", "inspecté"),
    "device_state.graded": ("graded", "noté"),
    "device_state.erased": ("erased", "effacé"),
    "device_state.certified": ("certified", "certifié"),
    "device_state.approved": ("approved", "approuvé"),
    "device_state.listed": ("listed", "en vente"),
    "device_state.quarantined": ("quarantined", "en quarantaine"),
    "device_state.repair": ("repair", "en réparation"),
    "device_state.parts": ("parts", "pour pièces"),
    "family.iphone": ("iPhone", "iPhone"),
    "family.ipad": ("iPad", "iPad"),
    "family.android": ("Android phone", "Téléphone Android"),
    "family.laptop": ("Laptop", "Ordinateur portable"),
    "inspection_status.open": ("open", "en cours"),
    "inspection_status.interrupted": ("interrupted", "interrompue"),
    "inspection_status.completed": ("completed", "terminée"),
    # labels
    "label.battery": ("Battery {soh}", "Batterie {soh}"),
    "label.lot": ("Lot {lot}", "Lot {lot}"),
}

_MONTHS = {
    "en": tuple(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    ),
    "fr": tuple(
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
    ),
}
_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


class UnknownLanguage(ValueError):
    pass


@dataclasses.dataclass(frozen=True, slots=True)
class Locale:
    """One language's words and formats. ``t`` raises KeyError on a missing key so that tests catch it."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise UnknownLanguage(f"no documents in {self.lang!r}: choose one of {', '.join(LANGUAGES)}")

    @property
    def _index(self) -> int:
        return LANGUAGES.index(self.lang)

    def t(self, key: str, **values: object) -> str:
        text = CATALOGUE[key][self._index]
        return text.format(**values) if values else text

    def value(self, group: str, value: str | None) -> str:
        """An enumerated value in words; a value the catalogue does not know is shown as recorded."""
        if value is None:
            return self.t("field.unknown")
        key = f"{group}.{value}"
        return self.t(key) if key in CATALOGUE else value.replace("_", " ")

    def test_title(self, test_id: str, fallback: str) -> str:
        key = f"test.{test_id}"
        return self.t(key) if key in CATALOGUE else fallback

    def number(self, value: float | int | Decimal | None, decimals: int = 0) -> str:
        if value is None:
            return self.t("field.unknown")
        quantum = Decimal(1).scaleb(-decimals)
        rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
        text = f"{rounded:,.{decimals}f}"
        if self.lang == "fr":
            text = text.replace(",", NBSP).replace(".", ",")
        return text

    def percent(self, value: float | None, decimals: int = 1) -> str:
        if value is None:
            return self.t("field.unknown")
        number = self.number(value, decimals)
        return f"{number}{NBSP}%" if self.lang == "fr" else f"{number}%"

    def money(self, amount: Decimal | None, currency: str = "EUR") -> str:
        if amount is None:
            return self.t("field.none")
        symbol = _CURRENCY_SYMBOLS.get(currency, currency)
        number = self.number(amount, 2)
        if self.lang == "fr":
            return f"{number}{NBSP}{symbol}"
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{symbol}{digits}" if len(symbol) == 1 else f"{sign}{symbol}{NBSP}{digits}"

    def date(self, value: date | None) -> str:
        if value is None:
            return self.t("field.unknown")
        if isinstance(value, datetime):
            value = value.astimezone(UTC).date()
        month = _MONTHS[self.lang][value.month - 1]
        if self.lang == "fr":
            day = "1er" if value.day == 1 else str(value.day)
            return f"{day} {month} {value.year}"
        return f"{value.day} {month} {value.year}"

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return self.t("field.unknown")
        utc = value.astimezone(UTC)
        separator = " à " if self.lang == "fr" else ", "
        return f"{self.date(utc)}{separator}{utc:%H:%M} UTC"

    def duration(self, seconds: float) -> str:
        total = max(0, round(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return (
                f"{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min" if self.lang == "fr" else f"{hours} h {minutes:02d} min"
            )
        return f"{minutes}{NBSP}min{NBSP}{secs:02d}{NBSP}s" if self.lang == "fr" else f"{minutes} min {secs:02d} s"

    def storage(self, gigabytes: int | None) -> str:
        if gigabytes is None:
            return self.t("field.unknown")
        unit = "Go" if self.lang == "fr" else "GB"
        if gigabytes >= 1000 and gigabytes % 1000 == 0:
            return f"{gigabytes // 1000}{NBSP}{'To' if self.lang == 'fr' else 'TB'}"
        return f"{gigabytes}{NBSP}{unit}"


def locale(lang: str) -> Locale:
    return Locale(lang)
