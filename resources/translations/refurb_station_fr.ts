<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AuditorDesk</name>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="335"/>
        <source>Audit chain not verified yet</source>
        <translation>Chaîne d’audit pas encore vérifiée</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="264"/>
        <source>Audit chain status</source>
        <translation>État de la chaîne d’audit</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="265"/>
        <source>&amp;Verify the chain</source>
        <translation>&amp;Vérifier la chaîne</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="266"/>
        <source>IMEI or serial (the start is enough)</source>
        <translation>IMEI ou numéro de série (le début suffit)</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="267"/>
        <source>IMEI or serial</source>
        <translation>IMEI ou numéro de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="268"/>
        <source>Lot reference</source>
        <translation>Référence du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="269"/>
        <source>Active between</source>
        <translation>Activité entre</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="270"/>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="271"/>
        <location filename="../../app/gui/auditor/desk.py" line="533"/>
        <source>Anyone</source>
        <translation>Tous</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="272"/>
        <location filename="../../app/gui/auditor/desk.py" line="322"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="273"/>
        <source>Any state</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="276"/>
        <source>Grade</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="277"/>
        <source>Any grade</source>
        <translation>Tous les grades</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="278"/>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="280"/>
        <source>Any verdict</source>
        <translation>Tous les verdicts</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="280"/>
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="280"/>
        <source>Rejected</source>
        <translation>Rejeté</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="280"/>
        <source>Not reviewed</source>
        <translation>Non contrôlé</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="283"/>
        <source>&amp;Search</source>
        <translation>Re&amp;chercher</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="284"/>
        <source>Find devices</source>
        <translation>Rechercher des appareils</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="288"/>
        <source>IMEI / serial:</source>
        <translation>IMEI / n° de série&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="289"/>
        <source>Lot:</source>
        <translation>Lot&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="290"/>
        <source>Date:</source>
        <translation>Date&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="291"/>
        <source>Technician:</source>
        <translation>Technicien&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="292"/>
        <source>State:</source>
        <translation>État&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="293"/>
        <source>Grade:</source>
        <translation>Grade&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="294"/>
        <source>Verdict:</source>
        <translation>Verdict&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="299"/>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="300"/>
        <source>Result count</source>
        <translation>Nombre de résultats</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="301"/>
        <source>Load &amp;more</source>
        <translation>Afficher la &amp;suite</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="302"/>
        <source>Reason (required to reject)</source>
        <translation>Motif (obligatoire pour rejeter)</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="303"/>
        <source>Review reason</source>
        <translation>Motif du contrôle</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="304"/>
        <source>&amp;Approve</source>
        <translation>&amp;Approuver</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="305"/>
        <source>&amp;Reject</source>
        <translation>Re&amp;jeter</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="306"/>
        <source>Lis&amp;t on Back Market</source>
        <translation>Me&amp;ttre en vente sur Back Market</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="308"/>
        <source>The listing is queued in the same step as the approval; if it cannot be priced, nothing is done.</source>
        <translation>L’annonce est mise en file dans la même étape que l’approbation&#xa0;; si elle ne peut pas être chiffrée, rien n’est fait.</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="310"/>
        <source>Review message</source>
        <translation>Message du contrôle</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="311"/>
        <source>&amp;Draw the sample</source>
        <translation>&amp;Tirer l’échantillon</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="312"/>
        <source>QC sample summary</source>
        <translation>Résumé de l’échantillon de contrôle</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="313"/>
        <source>QC sample</source>
        <translation>Échantillon de contrôle</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="316"/>
        <source>Erasure</source>
        <translation>Effacement</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="317"/>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="318"/>
        <source>Erased by</source>
        <translation>Effacé par</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="319"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="320"/>
        <source>Method</source>
        <translation>Méthode</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="321"/>
        <source>NIST level</source>
        <translation>Niveau NIST</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="325"/>
        <source>Erasures from</source>
        <translation>Effacements du</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="326"/>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="327"/>
        <source>Devices</source>
        <translation>Appareils</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="328"/>
        <source>Erasure QC (R2v3)</source>
        <translation>Contrôle des effacements (R2v3)</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="347"/>
        <source>Reviews are for auditors</source>
        <translation>Les contrôles sont réservés aux auditeurs</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="370"/>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="381"/>
        <source>No device matches.</source>
        <translation>Aucun appareil ne correspond.</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="384"/>
        <source>Showing %1 of %2 devices</source>
        <translation>%1 appareils affichés sur %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="389"/>
        <source>The search failed: %1</source>
        <translation>La recherche a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="427"/>
        <source>Drawing the sample…</source>
        <translation>Tirage de l’échantillon…</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="437"/>
        <source>Checking the audit chain…</source>
        <translation>Vérification de la chaîne d’audit…</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="466"/>
        <source>%1: now %2.</source>
        <translation>%1&#xa0;: désormais %2.</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="475"/>
        <source>%1 erasures from %2 to %3: %4 to re-verify (5 %), %5 drawn for you (seed “%6”).</source>
        <translation>%1 effacements du %2 au %3&#xa0;: %4 à revérifier (5&#xa0;%), %5 tirés pour vous (graine «&#xa0;%6&#xa0;»).</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="486"/>
        <source>%1 more must go to another auditor: you erased them.</source>
        <translation>%1 autres doivent aller à un autre auditeur&#xa0;: c’est vous qui les avez effacés.</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="514"/>
        <source>Audit chain valid: %1 events</source>
        <translation>Chaîne d’audit valide&#xa0;: %1 événements</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="518"/>
        <source>Audit chain BROKEN at #%1: %2</source>
        <translation>Chaîne d’audit ROMPUE au n° %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/desk.py" line="527"/>
        <source>Audit chain not verified: %1</source>
        <translation>Chaîne d’audit non vérifiée&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>BatteryTab</name>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="113"/>
        <source>State of health</source>
        <translation>État de santé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="114"/>
        <source>Battery verdict</source>
        <translation>Verdict batterie</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="116"/>
        <source>State of health from</source>
        <translation>Source de l’état de santé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="117"/>
        <source>Cycle count</source>
        <translation>Nombre de cycles</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="118"/>
        <source>Capacity (full charge / design)</source>
        <translation>Capacité (pleine charge / nominale)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="119"/>
        <source>Read from</source>
        <translation>Lu depuis</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="120"/>
        <source>Recorded</source>
        <translation>Enregistré</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="124"/>
        <source>No battery reading in this inspection yet.</source>
        <translation>Pas encore de relevé batterie dans cette inspection.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="132"/>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="149"/>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="157"/>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="158"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="136"/>
        <source>%1: sellable from %2 %, worn below %3 %</source>
        <translation>%1&#xa0;: vendable dès %2&#xa0;%, usée sous %3&#xa0;%</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="142"/>
        <source>the device&apos;s own figure</source>
        <translation>le chiffre donné par l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="143"/>
        <source>full-charge capacity / design capacity</source>
        <translation>capacité à pleine charge / capacité nominale</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="144"/>
        <source>nothing: neither a figure nor capacities were read</source>
        <translation>rien&#xa0;: ni chiffre ni capacités n’ont été lus</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="151"/>
        <source>%1 (flagged: %2 or more, check autonomy)</source>
        <translation>%1 (signalé&#xa0;: %2 ou plus, vérifiez l’autonomie)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="154"/>
        <source>%1 (flag at %2)</source>
        <translation>%1 (signalé à partir de %2)</translation>
    </message>
</context>
<context>
    <name>BenchView</name>
    <message>
        <location filename="../../app/gui/bench_view.py" line="207"/>
        <source>Bench: no device</source>
        <translation>Banc&#xa0;: aucun appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/bench_view.py" line="209"/>
        <source>Bench: %1 device(s)</source>
        <translation>Banc&#xa0;: %1 appareil(s)</translation>
    </message>
    <message>
        <location filename="../../app/gui/bench_view.py" line="211"/>
        <source>%1 need(s) you</source>
        <translation>%1 en attente de vous</translation>
    </message>
    <message>
        <location filename="../../app/gui/bench_view.py" line="252"/>
        <source>Plug in a phone: it appears here within a second.</source>
        <translation>Branchez un téléphone&#xa0;: il apparaît ici en moins d’une seconde.</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="144"/>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="144"/>
        <source>Manual</source>
        <translation>Manuel</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="146"/>
        <location filename="../../app/gui/device_page/checklist.py" line="172"/>
        <source>Required</source>
        <translation>Obligatoire</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="146"/>
        <source>Optional</source>
        <translation>Facultatif</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="152"/>
        <source>(saving…)</source>
        <translation>(enregistrement…)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="172"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="172"/>
        <source>How</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="172"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="172"/>
        <source>By</source>
        <translation>Par</translation>
    </message>
</context>
<context>
    <name>ChecklistTab</name>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="267"/>
        <source>Functional tests</source>
        <translation>Tests fonctionnels</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="268"/>
        <source>Instructions</source>
        <translation>Instructions</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="270"/>
        <source>P pass · F fail · S skip · N not applicable · Enter pass and next · ↑↓ move · Ctrl+Enter finish</source>
        <translation>P réussi · F échec · S passer · N sans objet · Entrée réussi et suivant · ↑↓ se déplacer · Ctrl+Entrée terminer</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="272"/>
        <source>Note for the next answer (e.g. why it failed)</source>
        <translation>Note pour la prochaine réponse (p. ex. la cause de l’échec)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="273"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="274"/>
        <source>Start inspection</source>
        <translation>Commencer l’inspection</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="275"/>
        <source>&amp;Finish inspection</source>
        <translation>&amp;Terminer l’inspection</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="276"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Entrée</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="277"/>
        <source>Inspection result</source>
        <translation>Résultat de l’inspection</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="302"/>
        <source>No open inspection: start one to answer the checklist.</source>
        <translation>Aucune inspection ouverte&#xa0;: commencez-en une pour remplir la liste de tests.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="304"/>
        <source>The inspection is closed: answers are read-only.</source>
        <translation>L’inspection est close&#xa0;: les réponses sont en lecture seule.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="327"/>
        <source>No open inspection: nothing can be recorded.</source>
        <translation>Aucune inspection ouverte&#xa0;: rien ne peut être enregistré.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="345"/>
        <source>Automatic: the station reads it</source>
        <translation>Automatique&#xa0;: le poste le lit</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="345"/>
        <source>Manual</source>
        <translation>Manuel</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="346"/>
        <source>required</source>
        <translation>obligatoire</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="346"/>
        <source>optional, does not decide</source>
        <translation>facultatif, non décisif</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="377"/>
        <source>%1 of %2 answered</source>
        <translation>%1 sur %2 renseignés</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="379"/>
        <source>%1 required still to test</source>
        <translation>%1 obligatoire(s) encore à tester</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="381"/>
        <source>every required step answered: Ctrl+Enter finishes</source>
        <translation>tous les tests obligatoires sont faits&#xa0;: Ctrl+Entrée pour terminer</translation>
    </message>
</context>
<context>
    <name>Defect</name>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="38"/>
        <source>screen</source>
        <translation>écran</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="39"/>
        <source>back</source>
        <translation>dos</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="40"/>
        <source>sides</source>
        <translation>tranches</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="41"/>
        <source>camera lens</source>
        <translation>objectif photo</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="42"/>
        <source>lid</source>
        <translation>capot</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="43"/>
        <source>keyboard</source>
        <translation>clavier</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="44"/>
        <source>trackpad</source>
        <translation>pavé tactile</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="45"/>
        <source>base</source>
        <translation>coque inférieure</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="46"/>
        <source>scratch</source>
        <translation>rayure</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="47"/>
        <source>scuff</source>
        <translation>éraflure</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="48"/>
        <source>dent</source>
        <translation>bosse</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="49"/>
        <source>chip</source>
        <translation>éclat</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="50"/>
        <source>crack</source>
        <translation>fissure</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="51"/>
        <source>discolouration</source>
        <translation>décoloration</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="52"/>
        <source>dead pixel</source>
        <translation>pixel mort</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="53"/>
        <source>burn in</source>
        <translation>marquage (burn-in)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="54"/>
        <source>worn keys</source>
        <translation>touches usées</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="55"/>
        <source>missing part</source>
        <translation>pièce manquante</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="56"/>
        <source>micro</source>
        <translation>micro</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="57"/>
        <source>light</source>
        <translation>léger</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="58"/>
        <source>visible</source>
        <translation>visible</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="59"/>
        <source>heavy</source>
        <translation>important</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="60"/>
        <source>screen on</source>
        <translation>écran allumé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="61"/>
        <source>screen off</source>
        <translation>écran éteint</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="62"/>
        <source>left</source>
        <translation>côté gauche</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="63"/>
        <source>right</source>
        <translation>côté droit</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="64"/>
        <source>top</source>
        <translation>dessus</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="65"/>
        <source>bottom</source>
        <translation>dessous</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="66"/>
        <source>defect</source>
        <translation>défaut</translation>
    </message>
</context>
<context>
    <name>DeviceLookup</name>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="65"/>
        <source>Scan or type an IMEI or serial number, then press Enter</source>
        <translation>Scannez ou saisissez un IMEI ou un numéro de série, puis appuyez sur Entrée</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="66"/>
        <source>IMEI or serial number</source>
        <translation>IMEI ou numéro de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="67"/>
        <source>Device search</source>
        <translation>Recherche d’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="68"/>
        <source>Lookup message</source>
        <translation>Message de recherche</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_lookup.py" line="92"/>
        <source>Looking up %1…</source>
        <translation>Recherche de %1…</translation>
    </message>
</context>
<context>
    <name>DevicePage</name>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="200"/>
        <source>Loading device #%1…</source>
        <translation>Chargement de l’appareil n° %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="197"/>
        <source>Device state</source>
        <translation>État de l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="198"/>
        <source>Page message</source>
        <translation>Message de la page</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="186"/>
        <source>&amp;Identity</source>
        <translation>&amp;Identité</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="187"/>
        <source>&amp;Battery</source>
        <translation>&amp;Batterie</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="188"/>
        <source>&amp;Locks</source>
        <translation>&amp;Verrous</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="189"/>
        <source>Functional &amp;tests</source>
        <translation>&amp;Tests fonctionnels</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="190"/>
        <source>Cosmetic &amp;grade</source>
        <translation>&amp;Grade esthétique</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="191"/>
        <source>&amp;Erasure</source>
        <translation>&amp;Effacement</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="192"/>
        <source>&amp;Report</source>
        <translation>&amp;Rapport</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="193"/>
        <source>L&amp;abel</source>
        <translation>Éti&amp;quette</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="254"/>
        <source>Still saving answers: finish again in a moment.</source>
        <translation>Réponses en cours d’enregistrement&#xa0;: terminez de nouveau dans un instant.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="257"/>
        <source>Finishing the inspection…</source>
        <translation>Clôture de l’inspection…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="274"/>
        <source>Copying %1 photo(s)…</source>
        <translation>Copie de %1 photo(s)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="296"/>
        <source>Rendering the report…</source>
        <translation>Génération du rapport…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="301"/>
        <source>Rendering the label…</source>
        <translation>Génération de l’étiquette…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="406"/>
        <source>No eraser is connected for this device.</source>
        <translation>Aucun outil d’effacement n’est branché pour cet appareil.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="433"/>
        <source>Colour saved.</source>
        <translation>Couleur enregistrée.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="473"/>
        <source>Graded %1: %2</source>
        <translation>Grade %1&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="482"/>
        <source>Photos attached.</source>
        <translation>Photos jointes.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="493"/>
        <source>Erased and certified: %1</source>
        <translation>Effacé et certifié&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="497"/>
        <source>Not erased: %1</source>
        <translation>Non effacé&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="504"/>
        <source>Certified: %1</source>
        <translation>Certifié&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="514"/>
        <source>The report renderer (reports.device_report) is not installed: see the history on Identity.</source>
        <translation>Le générateur de rapports (reports.device_report) n’est pas installé&#xa0;: voir l’historique sous Identité.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/page.py" line="521"/>
        <source>The label renderer (reports.labels) is not installed.</source>
        <translation>Le générateur d’étiquettes (reports.labels) n’est pas installé.</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <location filename="../../app/gui/device_view.py" line="130"/>
        <source>Device state</source>
        <translation>État de l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="100"/>
        <source>Make and model</source>
        <translation>Marque et modèle</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="101"/>
        <source>Family</source>
        <translation>Famille</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="102"/>
        <source>Serial number</source>
        <translation>Numéro de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="103"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="104"/>
        <source>Storage</source>
        <translation>Stockage</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="105"/>
        <location filename="../../app/gui/device_view.py" line="136"/>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="106"/>
        <source>Trade-in lot</source>
        <translation>Lot de reprise</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="137"/>
        <source>The colour you see, e.g. Midnight or Space Grey</source>
        <translation>La couleur que vous voyez, p. ex. Minuit ou Gris sidéral</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="138"/>
        <source>Save &amp;colour</source>
        <translation>Enregistrer la &amp;couleur</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="139"/>
        <source>Device history</source>
        <translation>Historique de l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="140"/>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="178"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_view.py" line="180"/>
        <source>%1 GB</source>
        <translation>%1 Go</translation>
    </message>
</context>
<context>
    <name>DeviceSearchModel</name>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="149"/>
        <source>Last activity</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="150"/>
        <source>IMEI / serial</source>
        <translation>IMEI / n° de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="151"/>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="152"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="153"/>
        <source>Grade</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="154"/>
        <source>Technician</source>
        <translation>Technicien</translation>
    </message>
    <message>
        <location filename="../../app/gui/auditor/search_model.py" line="155"/>
        <source>Lot</source>
        <translation>Lot</translation>
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
        <translation>Gradé</translation>
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
    <name>DeviceTile</name>
    <message>
        <location filename="../../app/gui/device_tile.py" line="90"/>
        <source>Next action</source>
        <translation>Prochaine action</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="119"/>
        <source>Bay %1</source>
        <translation>Baie %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="123"/>
        <source>Not identified yet</source>
        <translation>Pas encore identifié</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="148"/>
        <source>Battery: …</source>
        <translation>Batterie&#xa0;: …</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="150"/>
        <source>Battery: health unknown</source>
        <translation>Batterie&#xa0;: santé inconnue</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="152"/>
        <source>Battery: %1 % health</source>
        <translation>Batterie&#xa0;: santé %1&#xa0;%</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="154"/>
        <source>%1 cycles</source>
        <translation>%1 cycles</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="162"/>
        <source>Locks: …</source>
        <translation>Verrous&#xa0;: …</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="164"/>
        <source>Locks: none</source>
        <translation>Verrous&#xa0;: aucun</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="167"/>
        <source>iCloud / Find My</source>
        <translation>iCloud / Localiser</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="168"/>
        <source>Google account</source>
        <translation>compte Google</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="169"/>
        <source>Samsung account</source>
        <translation>compte Samsung</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="170"/>
        <source>MDM</source>
        <translation>MDM</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="171"/>
        <source>firmware password</source>
        <translation>mot de passe du micrologiciel</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="172"/>
        <source>Computrace</source>
        <translation>Computrace</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="174"/>
        <source>Locked: %1</source>
        <translation>Verrouillé&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_tile.py" line="175"/>
        <source>Locks: unknown, check by hand</source>
        <translation>Verrous&#xa0;: inconnus, à vérifier à la main</translation>
    </message>
</context>
<context>
    <name>ErasureTab</name>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="91"/>
        <source>Erasure method</source>
        <translation>Méthode d’effacement</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="92"/>
        <source>&amp;Erase the device</source>
        <translation>&amp;Effacer l’appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="93"/>
        <source>Issue the &amp;certificate</source>
        <translation>Émettre le &amp;certificat</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="94"/>
        <source>Erasure progress</source>
        <translation>Progression de l’effacement</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="95"/>
        <source>Erasure status</source>
        <translation>État de l’effacement</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="96"/>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="99"/>
        <source>Method:</source>
        <translation>Méthode&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="99"/>
        <source>Progress:</source>
        <translation>Progression&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="99"/>
        <source>Outcome:</source>
        <translation>Résultat&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="99"/>
        <source>Certificate:</source>
        <translation>Certificat&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="107"/>
        <source>Only a graded device is erased</source>
        <translation>Seul un appareil gradé peut être effacé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="112"/>
        <source>Not erased yet.</source>
        <translation>Pas encore effacé.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="117"/>
        <source>%1: %2 (NIST %3), verification %4, by %5 at %6</source>
        <translation>%1&#xa0;: %2 (NIST %3), vérification %4, par %5 le %6</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/erasure_tab.py" line="137"/>
        <source>Erasing: keep the device connected</source>
        <translation>Effacement en cours&#xa0;: laissez l’appareil branché</translation>
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
    <name>Grade</name>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="86"/>
        <source>Not sellable</source>
        <translation>Invendable</translation>
    </message>
</context>
<context>
    <name>GradingTab</name>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="218"/>
        <source>Where exactly, how long… (optional)</source>
        <translation>Où exactement, quelle longueur… (facultatif)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="219"/>
        <source>&amp;Record defect</source>
        <translation>&amp;Ajouter le défaut</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="222"/>
        <source>&amp;Zone:</source>
        <translation>&amp;Zone&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="222"/>
        <source>&amp;Kind:</source>
        <translation>T&amp;ype&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="222"/>
        <source>&amp;Severity:</source>
        <translation>&amp;Gravité&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="222"/>
        <source>Note:</source>
        <translation>Note&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="226"/>
        <source>Grade with this defect</source>
        <translation>Grade avec ce défaut</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="222"/>
        <source>With it:</source>
        <translation>Avec lui&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="227"/>
        <source>Pick a defect</source>
        <translation>Choisir un défaut</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="228"/>
        <source>Recorded defects</source>
        <translation>Défauts relevés</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="230"/>
        <source>Not confirmed</source>
        <translation>Non confirmé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="230"/>
        <source>Genuine parts and battery</source>
        <translation>Pièces et batterie d’origine</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="230"/>
        <source>Some parts are not genuine</source>
        <translation>Certaines pièces ne sont pas d’origine</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="233"/>
        <source>Grade</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="234"/>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="235"/>
        <source>&amp;Grade the device</source>
        <translation>Attri&amp;buer le grade</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="236"/>
        <source>Recorded grade</source>
        <translation>Grade enregistré</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="237"/>
        <source>Grade (Back Market scale, CTIA letter)</source>
        <translation>Grade (échelle Back Market, lettre CTIA)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="238"/>
        <source>Genuine parts:</source>
        <translation>Pièces d’origine&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="239"/>
        <source>Add photo…</source>
        <translation>Ajouter une photo…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="240"/>
        <source>Import camera folder…</source>
        <translation>Importer un dossier d’appareil photo…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="241"/>
        <location filename="../../app/gui/device_page/grading_tab.py" line="243"/>
        <source>Photos</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="242"/>
        <source>View:</source>
        <translation>Vue&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="244"/>
        <source>Recorded defects:</source>
        <translation>Défauts relevés&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="276"/>
        <source>No defect recorded</source>
        <translation>Aucun défaut relevé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="279"/>
        <source>Defects are recorded while the inspection is open</source>
        <translation>Les défauts se relèvent tant que l’inspection est ouverte</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="285"/>
        <source>Not graded yet.</source>
        <translation>Pas encore gradé.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="288"/>
        <source>Not sellable</source>
        <translation>Invendable</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="290"/>
        <source>Recorded: %1 (CTIA %2) by %3 at %4: %5</source>
        <translation>Enregistré&#xa0;: %1 (CTIA %2) par %3 le %4&#xa0;: %5</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="361"/>
        <source>Add photos</source>
        <translation>Ajouter des photos</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="361"/>
        <source>Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp)</source>
        <translation>Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="367"/>
        <source>Import a camera folder</source>
        <translation>Importer un dossier d’appareil photo</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="375"/>
        <source>No photo in %1</source>
        <translation>Aucune photo dans %1</translation>
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
    <name>LabelTab</name>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="132"/>
        <source>&amp;Print label</source>
        <translation>&amp;Imprimer l’étiquette</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="139"/>
        <source>Send to %1</source>
        <translation>Envoyer à %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="139"/>
        <source>No label printer set in Settings</source>
        <translation>Aucune imprimante d’étiquettes réglée dans les Paramètres</translation>
    </message>
</context>
<context>
    <name>ListingsModel</name>
    <message>
        <location filename="../../app/gui/listings/page.py" line="43"/>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="44"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="45"/>
        <source>Market</source>
        <translation>Marché</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="46"/>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="47"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="48"/>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="49"/>
        <source>Marketplace says</source>
        <translation>Réponse de la place de marché</translation>
    </message>
</context>
<context>
    <name>ListingsPage</name>
    <message>
        <location filename="../../app/gui/listings/page.py" line="127"/>
        <source>Listings</source>
        <translation>Annonces</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="135"/>
        <source>No listing yet: approved devices are handed off from the warehouse.</source>
        <translation>Aucune annonce pour l’instant&#xa0;: les appareils approuvés sont mis en vente depuis l’entrepôt.</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="128"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="151"/>
        <source>Cannot read the listings: %1</source>
        <translation>Impossible de lire les annonces&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/listings/page.py" line="141"/>
        <source>%1 listing(s): %2</source>
        <translation>%1 annonce(s)&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>LockCheckDialog</name>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="208"/>
        <source>Lock checked by hand</source>
        <translation>Verrou vérifié à la main</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="209"/>
        <source>%1: what did you find on the device?</source>
        <translation>%1&#xa0;: qu’avez-vous constaté sur l’appareil&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="210"/>
        <source>O&amp;ff: no account or management lock</source>
        <translation>&amp;Absent&#xa0;: aucun verrou de compte ni de gestion</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="211"/>
        <source>O&amp;n: the lock is there (the device will be quarantined)</source>
        <translation>&amp;Présent&#xa0;: le verrou est là (l’appareil sera mis en quarantaine)</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="212"/>
        <source>What you checked and saw (&amp;required):</source>
        <translation>Ce que vous avez vérifié et constaté (&amp;obligatoire)&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="213"/>
        <source>e.g. Settings &gt; Apple ID: signed out; activation server says unlocked</source>
        <translation>p.&#xa0;ex. Réglages &gt; identifiant Apple&#xa0;: déconnecté&#xa0;; le serveur d’activation dit déverrouillé</translation>
    </message>
</context>
<context>
    <name>LocksTab</name>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="284"/>
        <source>Locks verdict</source>
        <translation>Verdict verrous</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="286"/>
        <source>Lock</source>
        <translation>Verrou</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="286"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="286"/>
        <source>Evidence</source>
        <translation>Preuve</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="289"/>
        <source>No lock check in this inspection yet.</source>
        <translation>Pas encore de contrôle des verrous dans cette inspection.</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="291"/>
        <source>Checked by hand…</source>
        <translation>Vérifié à la main…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="292"/>
        <source>%1 checked by hand</source>
        <translation>%1 vérifié à la main</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="311"/>
        <source>Read from %1 · %2, %3</source>
        <translation>Lu depuis %1 · %2, %3</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="347"/>
        <source>Recording the check of %1…</source>
        <translation>Enregistrement de la vérification de %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="352"/>
        <source>%1 checked by hand: recorded.</source>
        <translation>%1 vérifié à la main&#xa0;: enregistré.</translation>
    </message>
</context>
<context>
    <name>LotLinesModel</name>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="100"/>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="101"/>
        <source>Declared</source>
        <translation>Déclaré</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="102"/>
        <source>IMEI / serial</source>
        <translation>IMEI / n° de série</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="103"/>
        <source>Quoted</source>
        <translation>Prix proposé</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="104"/>
        <source>Scanned device</source>
        <translation>Appareil scanné</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="105"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="106"/>
        <source>Offer</source>
        <translation>Offre</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="107"/>
        <source>Why</source>
        <translation>Pourquoi</translation>
    </message>
</context>
<context>
    <name>LotStatus</name>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="29"/>
        <source>Not scanned</source>
        <translation>Non scanné</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="30"/>
        <source>Scanned, awaiting audit</source>
        <translation>Scanné, en attente de contrôle</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="32"/>
        <source>Match</source>
        <translation>Conforme</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="33"/>
        <source>Adjusted</source>
        <translation>Ajusté</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="34"/>
        <source>Re-quote</source>
        <translation>Nouvelle offre</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="35"/>
        <source>Refused (locked)</source>
        <translation>Refusé (verrouillé)</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="36"/>
        <source>Quote expired</source>
        <translation>Offre expirée</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/lines_model.py" line="37"/>
        <source>Audit incomplete</source>
        <translation>Contrôle incomplet</translation>
    </message>
</context>
<context>
    <name>LotsPage</name>
    <message>
        <location filename="../../app/gui/lots/page.py" line="182"/>
        <source>e.g. RSA-2025-118 (the file name if empty)</source>
        <translation>p. ex. RSA-2025-118 (le nom du fichier si vide)</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="183"/>
        <source>Lot reference</source>
        <translation>Référence du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="184"/>
        <source>Partner</source>
        <translation>Partenaire</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="185"/>
        <source>Quoted on</source>
        <translation>Offre du</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="186"/>
        <source>&amp;Import partner CSV…</source>
        <translation>&amp;Importer le CSV du partenaire…</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="187"/>
        <source>Problems in the lot file</source>
        <translation>Problèmes dans le fichier du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="188"/>
        <source>Receive a lot</source>
        <translation>Réceptionner un lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="189"/>
        <source>Reference:</source>
        <translation>Référence&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="190"/>
        <source>Partner:</source>
        <translation>Partenaire&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="191"/>
        <source>Quoted on:</source>
        <translation>Offre du&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="192"/>
        <source>Active lot</source>
        <translation>Lot actif</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="193"/>
        <source>Scan or type an IMEI or serial, then Enter</source>
        <translation>Scannez ou saisissez un IMEI ou un n° de série, puis Entrée</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="194"/>
        <source>Scan into the lot</source>
        <translation>Scanner dans le lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="195"/>
        <source>Lots message</source>
        <translation>Message des lots</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="196"/>
        <source>Lot progress</source>
        <translation>Avancement du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="197"/>
        <source>&amp;Export lot report…</source>
        <translation>&amp;Exporter le rapport du lot…</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="198"/>
        <source>Lot lines</source>
        <translation>Lignes du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="199"/>
        <source>Active lot:</source>
        <translation>Lot actif&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="168"/>
        <source>Receiving lots is for warehouse staff</source>
        <translation>La réception des lots est réservée au personnel d’entrepôt</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="245"/>
        <location filename="../../app/gui/lots/page.py" line="272"/>
        <source>Sign in first.</source>
        <translation>Connectez-vous d’abord.</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="248"/>
        <source>Type the partner&apos;s name before importing its file.</source>
        <translation>Saisissez le nom du partenaire avant d’importer son fichier.</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="256"/>
        <source>Importing %1…</source>
        <translation>Import de %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="269"/>
        <source>Choose or import a lot before scanning: %1 was not recorded.</source>
        <translation>Choisissez ou importez un lot avant de scanner&#xa0;: %1 n’a pas été enregistré.</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="275"/>
        <source>Scanned %1…</source>
        <translation>%1 scanné…</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="288"/>
        <source>The partner&apos;s lot file</source>
        <translation>Le fichier de lot du partenaire</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="288"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="295"/>
        <source>PDF lot report (*.pdf);;CSV reconciliation (*.csv)</source>
        <translation>Rapport de lot PDF (*.pdf);;Rapprochement CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="295"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="297"/>
        <source>Export the lot report</source>
        <translation>Exporter le rapport du lot</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="348"/>
        <source>%1 of %2 scanned · %3 audited · quoted %4 · counter-offer %5</source>
        <translation>%1 sur %2 scannés · %3 contrôlés · offre %4 · contre-offre %5</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="360"/>
        <source>Lot %1 received: scan its devices now.</source>
        <translation>Lot %1 réceptionné&#xa0;: scannez maintenant ses appareils.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/gui/lots/page.py" line="372"/>
        <source>Nothing imported: %n problem(s) in the file, listed on the left.</source>
        <translation>
            <numerusform>Rien n’a été importé&#xa0;: %n problème dans le fichier, indiqué à gauche.</numerusform>
            <numerusform>Rien n’a été importé&#xa0;: %n problèmes dans le fichier, listés à gauche.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="377"/>
        <source>%1 is already on line %2.</source>
        <translation>%1 est déjà sur la ligne %2.</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="377"/>
        <source>%1 → line %2.</source>
        <translation>%1 → ligne %2.</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="386"/>
        <source>Lot report saved: %1</source>
        <translation>Rapport du lot enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="389"/>
        <source>The lot report was not saved: %1</source>
        <translation>Le rapport du lot n’a pas été enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/lots/page.py" line="392"/>
        <source>Cannot read the lots: %1</source>
        <translation>Impossible de lire les lots&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.py" line="90"/>
        <location filename="../../app/gui/main_window.py" line="126"/>
        <location filename="../../app/gui/main_window.py" line="311"/>
        <location filename="../../app/gui/main_window.py" line="324"/>
        <source>&amp;Bench</source>
        <translation>&amp;Banc</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="91"/>
        <location filename="../../app/gui/main_window.py" line="312"/>
        <source>&amp;Look up</source>
        <translation>&amp;Recherche</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="94"/>
        <location filename="../../app/gui/main_window.py" line="313"/>
        <source>L&amp;ots</source>
        <translation>L&amp;ots</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="95"/>
        <location filename="../../app/gui/main_window.py" line="314"/>
        <source>&amp;Auditor desk</source>
        <translation>Bureau d’a&amp;udit</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="97"/>
        <location filename="../../app/gui/main_window.py" line="315"/>
        <source>Li&amp;stings</source>
        <translation>A&amp;nnonces</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="107"/>
        <location filename="../../app/gui/main_window.py" line="326"/>
        <source>Database: %1</source>
        <translation>Base de données&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="108"/>
        <location filename="../../app/gui/main_window.py" line="327"/>
        <source>Station: %1</source>
        <translation>Poste&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="110"/>
        <source>Driver status</source>
        <translation>État des pilotes</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="111"/>
        <source>Checking the audit chain…</source>
        <translation>Vérification de la chaîne d’audit…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="112"/>
        <source>Audit chain status</source>
        <translation>État de la chaîne d’audit</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="119"/>
        <location filename="../../app/gui/main_window.py" line="321"/>
        <source>&amp;Switch user…</source>
        <translation>&amp;Changer d’utilisateur…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="121"/>
        <location filename="../../app/gui/main_window.py" line="322"/>
        <source>S&amp;ettings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="124"/>
        <location filename="../../app/gui/main_window.py" line="323"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="128"/>
        <location filename="../../app/gui/main_window.py" line="325"/>
        <source>&amp;Look up a device</source>
        <translation>&amp;Rechercher un appareil</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="137"/>
        <location filename="../../app/gui/main_window.py" line="318"/>
        <source>&amp;Station</source>
        <translation>&amp;Poste</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="140"/>
        <location filename="../../app/gui/main_window.py" line="320"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="145"/>
        <location filename="../../app/gui/main_window.py" line="319"/>
        <source>&amp;Go</source>
        <translation>&amp;Aller à</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="218"/>
        <location filename="../../app/gui/main_window.py" line="317"/>
        <source>&amp;Device</source>
        <translation>Appar&amp;eil</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="233"/>
        <source>No lot %1 on this station.</source>
        <translation>Aucun lot %1 sur ce poste.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="249"/>
        <source>Barcode scanner: %1</source>
        <translation>Lecteur de codes-barres&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="278"/>
        <source>Settings saved</source>
        <translation>Paramètres enregistrés</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="347"/>
        <source>Laptop agent</source>
        <translation>Agent portable</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="353"/>
        <source>Drivers: %1</source>
        <translation>Pilotes&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="397"/>
        <source>Cannot read the users: %1</source>
        <translation>Impossible de lire les utilisateurs&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="402"/>
        <source>Audit chain valid: %1 events</source>
        <translation>Chaîne d’audit valide&#xa0;: %1 événements</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="407"/>
        <source>Audit chain BROKEN: %1</source>
        <translation>Chaîne d’audit ROMPUE&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="411"/>
        <source>Audit chain not verified: %1</source>
        <translation>Chaîne d’audit non vérifiée&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="435"/>
        <source>Refurb Station — %1</source>
        <translation>Refurb Station&#xa0;— %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="436"/>
        <source>Signed in: %1</source>
        <translation>Connecté&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="439"/>
        <source>Refurb Station — not signed in</source>
        <translation>Refurb Station&#xa0;— personne n’est connecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="440"/>
        <source>Not signed in</source>
        <translation>Personne n’est connecté</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="442"/>
        <source>Sign in to look up devices (Station ▸ Switch user, Ctrl+U).</source>
        <translation>Connectez-vous pour rechercher des appareils (Poste ▸ Changer d’utilisateur, Ctrl+U).</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="454"/>
        <source>Found %1</source>
        <translation>Trouvé&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="459"/>
        <source>No device with IMEI or serial %1.</source>
        <translation>Aucun appareil avec l’IMEI ou le numéro de série %1.</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="461"/>
        <source>“%1” is not a valid IMEI or serial number: %2</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un IMEI ou un numéro de série valide&#xa0;: %2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.py" line="466"/>
        <source>The lookup failed: %1</source>
        <translation>La recherche a échoué&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>NextAction</name>
    <message>
        <location filename="../../app/bench/actions.py" line="66"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="67"/>
        <source>Reading %1…</source>
        <translation>Lecture&#xa0;: %1…</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="68"/>
        <source>Trust this computer on the phone</source>
        <translation>Sur le téléphone, touchez «&#xa0;Se fier&#xa0;» à cet ordinateur</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="69"/>
        <source>Unlock the phone with its passcode</source>
        <translation>Déverrouillez le téléphone avec son code</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="71"/>
        <source>“Don&apos;t Trust” was tapped: unplug the phone and plug it in again</source>
        <translation>«&#xa0;Ne pas se fier&#xa0;» a été touché&#xa0;: débranchez le téléphone puis rebranchez-le</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="74"/>
        <source>Accept the USB debugging prompt</source>
        <translation>Autorisez le débogage USB sur le téléphone</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="75"/>
        <source>Phone %1: unplug it and plug it in again</source>
        <translation>Téléphone %1&#xa0;: débranchez-le puis rebranchez-le</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="77"/>
        <source>Find My is on: ask the owner to remove the phone from their iCloud</source>
        <translation>Localiser est activé&#xa0;: demandez au propriétaire de retirer le téléphone de son compte iCloud</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="81"/>
        <source>Google account present: ask the owner to remove it</source>
        <translation>Compte Google présent&#xa0;: demandez au propriétaire de le supprimer</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="85"/>
        <source>Samsung account present: ask the owner to remove it</source>
        <translation>Compte Samsung présent&#xa0;: demandez au propriétaire de le supprimer</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="89"/>
        <source>Managed by an organisation (MDM): ask the owner to release it</source>
        <translation>Géré par une organisation (MDM)&#xa0;: demandez au propriétaire de le libérer</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="93"/>
        <source>Firmware password set: ask the owner for it, or its removal</source>
        <translation>Mot de passe du micrologiciel défini : demander au propriétaire de le donner ou de le retirer</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="97"/>
        <source>Absolute / Computrace active: ask the owner to release the laptop</source>
        <translation>Absolute / Computrace actif : demander au propriétaire de libérer l&apos;ordinateur</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="101"/>
        <source>Locks not readable: check them by hand (%1)</source>
        <translation>Verrous illisibles&#xa0;: vérifiez-les à la main (%1)</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="105"/>
        <source>Identity mismatch: set aside for an auditor (%1)</source>
        <translation>Identité incohérente&#xa0;: mettez de côté pour un auditeur (%1)</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="108"/>
        <source>Quarantined: %1</source>
        <translation>En quarantaine&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="109"/>
        <source>Ready to grade</source>
        <translation>Prêt pour le grading</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="110"/>
        <source>Ready to grade — battery %2%: %1</source>
        <translation>Prêt pour le grading&#xa0;— batterie %2&#xa0;%&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="112"/>
        <source>Ready to grade — battery unreadable: test it by hand</source>
        <translation>Prêt pour le grading&#xa0;— batterie illisible&#xa0;: testez-la à la main</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="115"/>
        <source>Graded: ready to erase</source>
        <translation>Gradé&#xa0;: prêt pour l’effacement</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="116"/>
        <source>Erasing %2%</source>
        <translation>Effacement %2&#xa0;%</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="117"/>
        <source>Erased: issue the certificate</source>
        <translation>Effacé&#xa0;: émettez le certificat</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="118"/>
        <source>Certified: waiting for an auditor</source>
        <translation>Certifié&#xa0;: en attente d’un auditeur</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="119"/>
        <source>Approved: ready for listing</source>
        <translation>Approuvé&#xa0;: prêt pour la mise en vente</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="120"/>
        <source>Listed for sale</source>
        <translation>En vente</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="121"/>
        <source>For repair: %1</source>
        <translation>À réparer&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="122"/>
        <source>For parts: %1</source>
        <translation>Pour pièces&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="123"/>
        <source>Sign in as a technician to inspect (%1)</source>
        <translation>Connectez-vous en tant que technicien pour inspecter (%1)</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="124"/>
        <source>Problem: %1</source>
        <translation>Problème&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="131"/>
        <source>identity</source>
        <translation>identité</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="132"/>
        <source>battery</source>
        <translation>batterie</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="133"/>
        <source>locks</source>
        <translation>verrous</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="134"/>
        <source>probes</source>
        <translation>tests automatiques</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="136"/>
        <source>replace before sale</source>
        <translation>à remplacer avant la vente</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="137"/>
        <source>worn, send to repair</source>
        <translation>usée, à envoyer en réparation</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="138"/>
        <source>read failed</source>
        <translation>lecture impossible</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="139"/>
        <source>not ready</source>
        <translation>pas prêt</translation>
    </message>
    <message>
        <location filename="../../app/bench/actions.py" line="140"/>
        <source>see its history</source>
        <translation>voir son historique</translation>
    </message>
</context>
<context>
    <name>Outcome</name>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="66"/>
        <source>Pass</source>
        <translation>Réussi</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="67"/>
        <source>Fail</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="68"/>
        <source>Skipped</source>
        <translation>Passé</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/checklist.py" line="69"/>
        <source>Not applicable</source>
        <translation>Sans objet</translation>
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
    <name>SamplesPlot</name>
    <message>
        <location filename="../../app/gui/device_page/samples_plot.py" line="24"/>
        <source>Charging current measured by the USB meter</source>
        <translation>Courant de charge mesuré par le wattmètre USB</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/samples_plot.py" line="31"/>
        <source>%1 samples, up to %2 A</source>
        <translation>%1 mesures, jusqu’à %2&#xa0;A</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../app/gui/settings.py" line="63"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="73"/>
        <source>Database URL</source>
        <translation>URL de la base de données</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="74"/>
        <source>Where the records are: empty for the SQLite file in the data folder, or postgresql://user@host/db to share one database between the stations of a warehouse. --database-url and REFURB_DATABASE_URL win over this.</source>
        <translation>Où sont les enregistrements&#xa0;: vide pour le fichier SQLite du dossier de données, ou postgresql://user@host/db pour partager une base entre les postes d’un entrepôt. --database-url et REFURB_DATABASE_URL priment sur ce réglage.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="85"/>
        <source>Sales channel</source>
        <translation>Canal de vente</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="86"/>
        <source>Whose thresholds new inspections use (battery health, cycle counts, warranty).</source>
        <translation>Les seuils utilisés par les nouvelles inspections (santé de la batterie, nombre de cycles, garantie).</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="93"/>
        <source>Label printer</source>
        <translation>Imprimante d’étiquettes</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="94"/>
        <source>A CUPS queue name, or host:9100 for a ZPL printer on the network; empty to save labels as PDF.</source>
        <translation>Un nom de file d’attente CUPS, ou hôte:9100 pour une imprimante ZPL en réseau&#xa0;; vide pour enregistrer les étiquettes en PDF.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="102"/>
        <source>Marketplace account</source>
        <translation>Compte de la place de marché</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="103"/>
        <source>The Back Market seller account name. The API token is kept in the system keyring, never in this file.</source>
        <translation>Le nom du compte vendeur Back Market. Le jeton d’API est conservé dans le trousseau du système, jamais dans ce fichier.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="112"/>
        <source>Barcode scanner port</source>
        <translation>Port du lecteur de codes-barres</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="113"/>
        <source>A barcode scanner in serial (virtual COM) mode, e.g. /dev/ttyACM0 or COM3; empty for a scanner that types like a keyboard.</source>
        <translation>Un lecteur de codes-barres en mode série (COM virtuel), p. ex. /dev/ttyACM0 ou COM3&#xa0;; vide pour un lecteur qui tape comme un clavier.</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="124"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="125"/>
        <source>The language of the window (REFURB_LANG wins).</source>
        <translation>La langue de la fenêtre (REFURB_LANG prime).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/gui/settings.py" line="205"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../app/gui/settings.py" line="216"/>
        <source>⟳ takes effect when the station starts again.</source>
        <translation>⟳ prend effet au prochain démarrage du poste.</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="77"/>
        <source>micro: invisible at 20 cm</source>
        <translation>micro&#xa0;: invisible à 20 cm</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="78"/>
        <source>light: visible at 20 cm, not at 50 cm</source>
        <translation>léger&#xa0;: visible à 20 cm, pas à 50 cm</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="79"/>
        <source>visible at 50 cm</source>
        <translation>visible à 50 cm</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/grading_tab.py" line="80"/>
        <source>heavy: deep, sharp or structural</source>
        <translation>important&#xa0;: profond, coupant ou structurel</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/gui/sign_in.py" line="56"/>
        <location filename="../../app/gui/sign_in.py" line="58"/>
        <source>Sign in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="62"/>
        <source>Loading users…</source>
        <translation>Chargement des utilisateurs…</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="57"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="65"/>
        <source>Who is at the station? Type the first letters of your name, then press Enter.</source>
        <translation>Qui est au poste&#xa0;? Tapez les premières lettres de votre nom, puis appuyez sur Entrée.</translation>
    </message>
    <message>
        <location filename="../../app/gui/sign_in.py" line="71"/>
        <source>No users yet. Create the first administrator from a terminal:
%1</source>
        <translation>Aucun utilisateur pour l’instant. Créez le premier administrateur depuis un terminal&#xa0;:
%1</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="69"/>
        <source>Sellable</source>
        <translation>Vendable</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="70"/>
        <source>Replace before sale</source>
        <translation>À remplacer avant la vente</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="71"/>
        <source>Worn</source>
        <translation>Usée</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="72"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="73"/>
        <source>No lock</source>
        <translation>Aucun verrou</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/readings_tabs.py" line="74"/>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
</context>
<context>
    <name>_DocumentTab</name>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="79"/>
        <source>&amp;Refresh preview</source>
        <translation>&amp;Actualiser l’aperçu</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="80"/>
        <source>Save PDF…</source>
        <translation>Enregistrer le PDF…</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="93"/>
        <source>%1 page(s), %2 kB</source>
        <translation>%1 page(s), %2 ko</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="95"/>
        <source>The PDF could not be shown: %1</source>
        <translation>Le PDF n’a pas pu être affiché&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="102"/>
        <source>Save PDF</source>
        <translation>Enregistrer le PDF</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="110"/>
        <source>Not saved: %1</source>
        <translation>Non enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/device_page/documents_tab.py" line="112"/>
        <source>Saved %1</source>
        <translation>Enregistré&#xa0;: %1</translation>
    </message>
</context>
</TS>
