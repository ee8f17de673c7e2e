<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>DeviceLookup</name>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="34"/>
        <source>Scan or type an IMEI or serial number, then press Enter</source>
        <translation>Scannez ou saisissez un IMEI ou un numéro de série, puis appuyez sur Entrée</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="36"/>
        <source>IMEI or serial number</source>
        <translation>IMEI ou numéro de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="37"/>
        <source>Device search</source>
        <translation>Recherche d’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="45"/>
        <source>Lookup message</source>
        <translation>Message de recherche</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="83"/>
        <source>Looking up %1…</source>
        <translation>Recherche de %1…</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <location filename="../../app/gui/device_view.py" line="37"/>
        <source>Device state</source>
        <translation>État de l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="46"/>
        <source>Make and model</source>
        <translation>Marque et modèle</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="47"/>
        <source>Family</source>
        <translation>Famille</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="48"/>
        <source>Serial number</source>
        <translation>Numéro de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="49"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="50"/>
        <source>Storage</source>
        <translation>Stockage</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="51"/>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="52"/>
        <source>Trade-in lot</source>
        <translation>Lot de reprise</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="63"/>
        <source>Device history</source>
        <translation>Historique de l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="77"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="96"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="98"/>
        <source>%1 GB</source>
        <translation>%1 Go</translation>
    </message>
</context>
<context>
    <name>DeviceState</name>
    <message>
        <location filename="../../app/gui/states.py" line="40"/>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="41"/>
        <source>Identified</source>
        <translation>Identifié</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="42"/>
        <source>Inspected</source>
        <translation>Inspecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="43"/>
        <source>Graded</source>
        <translation>Évalué</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="44"/>
        <source>Erased</source>
        <translation>Effacé</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="45"/>
        <source>Certified</source>
        <translation>Certifié</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="46"/>
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="47"/>
        <source>Listed</source>
        <translation>En vente</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="48"/>
        <source>Quarantined</source>
        <translation>En quarantaine</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="49"/>
        <source>Repair</source>
        <translation>À réparer</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="50"/>
        <source>Parts</source>
        <translation>Pour pièces</translation>
    </message>
</context>
<context>
    <name>Family</name>
    <message>
        <location filename="../../app/gui/states.py" line="70"/>
        <source>Laptop</source>
        <translation>Ordinateur portable</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../app/gui/history_model.py" line="61"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../app/gui/history_model.py" line="61"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location filename="../../app/gui/history_model.py" line="61"/>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <location filename="../../app/gui/history_model.py" line="61"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.py" line="46"/>
        <source>Database: %1</source>
        <translation>Base de données : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="47"/>
        <source>Station: %1</source>
        <translation>Poste : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="48"/>
        <source>Checking the audit chain…</source>
        <translation>Vérification de la chaîne d’audit…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="49"/>
        <source>Audit chain status</source>
        <translation>État de la chaîne d’audit</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="55"/>
        <source>&amp;Switch user…</source>
        <translation>&amp;Changer d’utilisateur…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="57"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="59"/>
        <source>&amp;Station</source>
        <translation>&amp;Poste</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="109"/>
        <source>Cannot read the users: %1</source>
        <translation>Impossible de lire les utilisateurs : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="113"/>
        <source>Audit chain valid: %1 events</source>
        <translation>Chaîne d’audit valide : %1 événements</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="118"/>
        <source>Audit chain BROKEN: %1</source>
        <translation>Chaîne d’audit ROMPUE : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="122"/>
        <source>Audit chain not verified: %1</source>
        <translation>Chaîne d’audit non vérifiée : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="134"/>
        <source>Refurb Station — %1</source>
        <translation>Refurb Station — %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="135"/>
        <source>Signed in: %1</source>
        <translation>Connecté : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="141"/>
        <source>Refurb Station — not signed in</source>
        <translation>Refurb Station — personne n’est connecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="142"/>
        <source>Not signed in</source>
        <translation>Personne n’est connecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="144"/>
        <source>Sign in to look up devices (Station ▸ Switch user, Ctrl+U).</source>
        <translation>Connectez-vous pour rechercher des appareils (Poste ▸ Changer d’utilisateur, Ctrl+U).</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="156"/>
        <source>Found %1</source>
        <translation>Trouvé : %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="161"/>
        <source>No device with IMEI or serial %1.</source>
        <translation>Aucun appareil avec l’IMEI ou le numéro de série %1.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="163"/>
        <source>“%1” is not a valid IMEI or serial number: %2</source>
        <translation>« %1 » n’est pas un IMEI ou un numéro de série valide : %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="168"/>
        <source>The lookup failed: %1</source>
        <translation>La recherche a échoué : %1</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../app/gui/states.py" line="57"/>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="58"/>
        <source>Warehouse</source>
        <translation>Entrepôt</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="59"/>
        <source>Auditor</source>
        <translation>Auditeur</translation>
    </message>
    <message>
        <location filename="../../app/gui/states.py" line="60"/>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/gui/sign_in.py" line="29"/>
        <location filename="../../app/gui/sign_in.py" line="39"/>
        <source>Sign in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="31"/>
        <location filename="../../app/gui/sign_in.py" line="56"/>
        <source>Loading users…</source>
        <translation>Chargement des utilisateurs…</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="35"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="67"/>
        <source>Who is at the station? Type the first letters of your name, then press Enter.</source>
        <translation>Qui est au poste ? Tapez les premières lettres de votre nom, puis appuyez sur Entrée.</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="73"/>
        <source>No users yet. Create the first administrator from a terminal:
%1</source>
        <translation>Aucun utilisateur pour l’instant. Créez le premier administrateur depuis un terminal :
%1</translation>
    </message>
</context>
</TS>
