"""Field definitions of the UpdateConnectors the stand-in serves.

Derived once from AFAS's public OpenAPI specs (AFASSoftware/OASContent, the `*_POST` schemas): per object
the field id, dataType, max length, whether AFAS's metainfo marks it mandatory (M), the English label and,
for short enumerations, the allowed values. One line per field: `id|dataType|length|M|label|values`.
"""

from __future__ import annotations

# fmt: off
FIELD_LISTS: dict[str, str] = {
    "KnSalesRelationOrg": """
DbId|string|16||Debtor number
Iban|string|40||Voorkeur Iban nummer
BaAc|string|40||Voorkeur bank-/gironummer
CoId|string|3||Voorkeur bank-/gironummer land code
IsDb|boolean|0||Is debtor
ToAc|string|16||Preferred contra account
VaId|string|21||VAT identification number
PaCd|string|5||Payment condition
VeId|string|16||Sales representative
LgId|string|3||Language
CuId|string|3|M|Currency
DsId|int|0||Deviating reminder set
EmId|string|15||Resp. person
VaDu|string|3||VAT duty
PfId|string|16||Profile
PrLi|decimal|0||% Line discount
PrFc|decimal|0||Invoice discount (%)
ClPc|decimal|0||Credit restriction (%)
PrPt|decimal|0||Payment discount (%)
Krli|decimal|0||Credit limit
FaTo|string|16||Invoice to
TrPt|string|16||Transporter
PrDl|int|0||Delivery priority
PrVn|string|16||Use prices from
PrLs|string|5||Preferred price list
VkMa|string|15||Preferred warehouse
Bl|boolean|0||Blocked for delivery
BlTl|boolean|0||Block completely, no longer visible
VaLi|boolean|0||VAT listing
LDId|string|15||Main declarant
VaYN|boolean|0||Deviating VAT rate group
DuYN|boolean|0||Send reminder
VaIg|string|20||Group administration code
VaGu|string|20||Status monitoring
DsGr|string|5||Discount group
NtPr|boolean|0||Net price
VtIn|boolean|0||Price incl. VAT
InTx|string|40||Invoice text
CITo|boolean|0||Compress entire invoice
TxTc|string|40||Compress text at total
StMa|boolean|0||Strict maximum
MaIn|decimal|0||Maximum invoice amount
StMi|boolean|0||Strict minimum
MiIn|decimal|0||Minimum invoice amount
RoOf|string|5||Rounding method
DeId|string|15||Declarant
PaSp|boolean|0||Collection specification
AuPa|boolean|0||Automatically collect
PaCo|boolean|0||Compress
SiPA|boolean|0||One-off direct debit mandate required
WaOr|boolean|0||Order/quotation warning
WaTx|string|255||Warning text
CsTy|string|1||CBS types
Rm|blob|0||Remark
CdDa|int|0|M|Preferred delivery address
CtP1|int|0||Contact person
CtP2|int|0||Extra contact person
ColA|string|16||Summary account
CsDa|date|0||Customer since
BcBy|string|15||Entered by
DeCo|string|20||Delivery conditions|0=Deellevering toestaan;1=Regel volledig uitleveren;2=Order volledig uitleveren;3=Geen backorders leveren
CtI1|int|0||Preferred contact
InPv|string|20||Preferred issue method
SoId|string|8||Order sorting
VaBc|string|20||Barcode type|0=Geen controle;1=Barcode EAN8;2=Barcode UPC;3=Barcode EAN13;4=Barcode EAN14;5=Barcode SSCC;6=Code 128;7=Interleaved 2/5;8=Interleaved 2/5 (controlegetal)
BaCo|string|30||Barcode
CoDs|string|8||Discount/surcharge scale
MnOr|boolean|0||Sales contact order number/ref. required
EDDn|boolean|0||Addressing EDI packing slip accord. to EDI invoice
VaA1|string|10||VaA1
VaA2|string|10||VaA2
VaA3|string|10||VaA3
VaA4|string|10||VaA4
VaA5|string|10||VaA5
Pwrd|string|255||Password
AtCd|string|255||Activation code
AcTp|string|255||Account type
OrPr|string|20||Processing order|1=Pakbon, factuur na levering;2=Pakbon en factuur;3=Factuur, levering na vooruitbetaling;4=Pakbon, geen factuur;5=Pakbon, factuur via nacalculatie;6=Pakbon en factuur, factuur niet afdrukken of verzenden;7=Aanbetalen, levering na aanbetaling
AsGr|string|5||Product range
AsYN|boolean|0||Allow different product range
OINr|string|40||'OIN' number
VaDt|string|20||SEPA collection method|B=B2B;S=Standaard
EnId|string|50||eConnection company ID
VaTp|string|20||Sales contact type|001=Brons;002=Zilver;003=Goud
ReCo|boolean|0||Apply disposal fee
EORI|string|17||EORI number
""",
    "KnOrganisation": """
PadAdr|boolean|0|M|Postadres is adres
AutoNum|boolean|0|M|Autonummering
MatchOga|string|1|M|Organisatie vergelijken op|0=Zoek op BcCo;1=KvK-nummer;2=Fiscaal nummer;3=Naam;4=Adres;5=Postadres;6=Altijd nieuw toevoegen;9=Gebruik bovenliggende entiteit
BcId|int|0|M|Organisation/Person (internal)
BcCo|string|15|M|Number
SeNm|string|10||Search name
Nm|string|255|M|Name
ViLe|string|20||Legal form
ViLb|string|20||Sector
CcNr|string|30||COC number
CcDa|date|0||CoC date
NmRg|string|80||Name (statutory)
RsRg|string|50||Registered office
TtId|string|3||Title/salutation
LeHe|string|255||Salutation
OuId|string|10||Organisational unit
TeNr|string|255||Work phone no.
FaNr|string|255||Work fax
MbNr|string|255||Work mobile no.
EmAd|string|255||Work e-mail
HoPa|string|255||Website
Corr|boolean|0||Correspondence
ViMd|string|20||Preferred medium|EMA=E-mail;FAX=Fax;PRS=Persoonlijk;PST=Post;TEL=Telefoonnr.
Re|blob|0||Remark
FiNr|string|9||Fiscal number
StId|string|20||Status
LgId|string|3||Language
SocN|string|255||Social media
Face|string|255||Facebook
Link|string|255||LinkedIn
Twtr|string|255||X (formerly Twitter)
BcPa|string|15||Part of organisation
FileName|string|255||Naam bestand
FileStream|blob|0||Afbeelding
""",
    "KnBankAccount": """
CoId|string|3|M|Country of bank
IbCk|boolean|0||IBAN check
Iban|string|40||IBAN number
BaAc|string|40||Bank account
BkTp|int|0||Bank type
BkIc|string|15||Bank
AcGa|boolean|0||'G'-account
AcCk|boolean|0||Cheque
DiNm|string|80||Deviating name
DiPl|string|35||Deviating city
Bic|string|11||BIC code
BaNm|string|35||Name of the bank
BaFi|string|35||Branch of the bank
BaAd|string|35||Bank address
BaPl|string|35||Bank business location
CalM|string|20||On-charge code|1=Alle kosten ten laste van de begunstigde;2=Alle kosten ten laste van de opdrachtgever;3=Gedeelde kosten
""",
    "KnBasicAddressAdr": """
CoId|string|3|M|Country
PbAd|boolean|0|M|P.O. Box address
StAd|string|255||Add. for street
Ad|string|60||Street
HmNr|int|0||House number
HmAd|string|30||House number addition
ZpCd|string|15||Postal code
Rs|string|50||City
AdAd|string|255||Addition to address
BeginDate|date|0|M|Ingangsdatum adreswijziging (wordt genegeerd bij eerste datum)
ResZip|boolean|0|M|Zoek woonplaats bij postcode
""",
    "KnContact": """
PadAdr|boolean|0|M|Postadres is adres
ViKc|string|3||Soort Contact|AFD=Afdeling bij organisatie;AFL=Afleveradres;PRS=Persoon bij organisatie (alleen mogelijk i.c.m. KnPerson tak)
ExAd|string|255||Department
ViFu|string|20||Job|100=Directeur;200=Administratief medewerker;300=Hoofd salarisadministratie
FuDs|string|50||Job on business card
Corr|boolean|0||Correspondence
ViMd|string|20||Preferred medium|EMA=E-mail;FAX=Fax;PRS=Persoonlijk;PST=Post;TEL=Telefoonnr.
TeNr|string|255||Work phone no.
FaNr|string|255||Work fax
MbNr|string|255||Work mobile no.
EmAd|string|255||Work e-mail
HoPa|string|255||Website
Re|blob|0||Comment
Bl|boolean|0||Blocked
AtLn|string|255||Attn. of line
LeHe|string|255||Salutation
SocN|string|255||Social media
Face|string|255||Facebook
Link|string|255||LinkedIn
Twtr|string|255||X (formerly Twitter)
""",
    "KnPerson": """
PadAdr|boolean|0|M|Postadres is adres
AutoNum|boolean|0|M|Autonummering
MatchPer|string|1|M|Persoon vergelijken op|0=Zoek op BcCo (Persoons-ID);1=Burgerservicenummer;2=Naam + voorvoegsel + initialen + geslacht;3=Naam + voorvoegsel + initialen + geslacht + e-mail werk;4=Naam + voorvoegsel + initialen + geslacht + mobiel werk;5=Naam + voorvoegsel + initialen + geslacht + telefoon werk;6=Naam + voorvoegsel + initialen + geslacht + geboortedatum;7=Altijd nieuw toevoegen
BcId|int|0|M|Organisation/Person (internal)
BcCo|string|15|M|Number
SeNm|string|10||Search name
CaNm|string|80||Usual name
FiNm|string|50||First name
In|string|15||Initials
Is|string|15||Prefix
LaNm|string|80||Last name
SpNm|boolean|0||Enter surname at birth seperately
IsBi|string|15||Birth name prefix
NmBi|string|80||Surname at birth
IsPa|string|15||Prefix partner
NmPa|string|80||Partner's usual name
ViUs|string|20||Name use|0=Geboortenaam;1=Geb. naam partner + Geboortenaam;2=Geboortenaam partner;3=Geboortenaam + Geb. naam partner
ViGe|string|20||Gender|M=Man;O=Onbekend;V=Vrouw;X=Non-binair
PsNa|string|20||Nationality
DaBi|date|0||Date of birth
CoBi|string|3||Country of birth
RsBi|string|50||Place of birth
SoSe|string|25||'BSN'
ViCs|string|20||Marital status|DZ=Duurzaam gescheiden;GH=Gehuwd;GP=Geregistreerd partnerschap;GS=Gescheiden;OG=Ongehuwd;OV=Overig;WE=Weduwe/Weduwnaar
DaMa|date|0||Wedding date
DaDi|date|0||Datum scheiding
DaDe|date|0||Date deceased
TtId|string|3||Title/salutation
TtEx|string|3||Secondary title
LeHe|string|255||Salutation
TeNr|string|255||Work phone no.
TeN2|string|255||Personal phone no.
FaNr|string|255||Work fax
MbNr|string|255||Work mobile no.
MbN2|string|255||Private mobile no.
EmAd|string|255||Work e-mail
EmA2|string|255||Personal e-mail
HoPa|string|255||Website
Corr|boolean|0||Correspondence
ViMd|string|20||Preferred medium|EMA=E-mail;FAX=Fax;PRS=Persoonlijk;PST=Post;TEL=Telefoonnr.
Re|blob|0||Remark
StId|string|20||Status
LgId|string|3||Language
SocN|string|255||Social media
CrIb|string|9||CRIB number
Face|string|255||Facebook
Link|string|255||LinkedIn
Twtr|string|255||X (formerly Twitter)
CoLw|string|2||Legislative country
FileName|string|255||Naam bestand
FileStream|blob|0||Afbeelding
AddToPortal|boolean|0|M|Persoon toegang geven tot afgeschermde deel van de portal(s)
EmailPortal|string|255||E-mail toegang
""",
    "KnPerson_2": """
PadAdr|boolean|0|M|Postadres is adres
AutoNum|boolean|0|M|Autonummering
MatchPer|string|1|M|Persoon vergelijken op|0=Zoek op BcCo (Persoons-ID);1=Burgerservicenummer;2=Naam + voorvoegsel + initialen + geslacht;3=Naam + voorvoegsel + initialen + geslacht + e-mail werk;4=Naam + voorvoegsel + initialen + geslacht + mobiel werk;5=Naam + voorvoegsel + initialen + geslacht + telefoon werk;6=Naam + voorvoegsel + initialen + geslacht + geboortedatum;7=Altijd nieuw toevoegen;9=Gebruik bovenliggende entiteit
BcId|int|0|M|Organisation/Person (internal)
BcCo|string|15|M|Number
SeNm|string|10||Search name
CaNm|string|80||Usual name
FiNm|string|50||First name
In|string|15||Initials
Is|string|15||Prefix
LaNm|string|80||Last name
SpNm|boolean|0||Enter surname at birth seperately
IsBi|string|15||Birth name prefix
NmBi|string|80||Surname at birth
IsPa|string|15||Prefix partner
NmPa|string|80||Partner's usual name
ViUs|string|20||Name use|0=Geboortenaam;1=Geb. naam partner + Geboortenaam;2=Geboortenaam partner;3=Geboortenaam + Geb. naam partner
ViGe|string|20||Gender|M=Man;O=Onbekend;V=Vrouw;X=Non-binair
PsNa|string|20||Nationality
DaBi|date|0||Date of birth
CoBi|string|3||Country of birth
RsBi|string|50||Place of birth
SoSe|string|25||'BSN'
Sdla|string|10||Personal ID
ViCs|string|20||Marital status|DZ=Duurzaam gescheiden;GH=Gehuwd;GP=Geregistreerd partnerschap;GS=Gescheiden;OG=Ongehuwd;OV=Overig;WE=Weduwe/Weduwnaar
DaMa|date|0||Wedding date
DaDi|date|0||Datum scheiding
DaDe|date|0||Date deceased
TtId|string|3||Title/salutation
TtEx|string|3||Secondary title
LeHe|string|255||Salutation
TeNr|string|255||Work phone no.
TeN2|string|255||Personal phone no.
FaNr|string|255||Work fax
MbNr|string|255||Work mobile no.
MbN2|string|255||Private mobile no.
EmAd|string|255||Work e-mail
EmA2|string|255||Personal e-mail
HoPa|string|255||Website
Corr|boolean|0||Correspondence
ViMd|string|20||Preferred medium|EMA=E-mail;FAX=Fax;PRS=Persoonlijk;PST=Post;TEL=Telefoonnr.
Re|blob|0||Remark
StId|string|20||Status
LgId|string|3||Language
SocN|string|255||Social media
CrIb|string|9||CRIB number
Face|string|255||Facebook
Link|string|255||LinkedIn
Twtr|string|255||X (formerly Twitter)
CoLw|string|2||Legislative country
CcNr|string|30||COC number
CcDa|date|0||CoC date
BrNr|string|30||Branch number
FiNr|string|9||Fiscal number
EmAm|string|20||Number of employees|01=0;02=1;03=2-4;04=5-9;05=10-19;06=20-49;07=50-99;08=100-199;09=200-499;10=500-749;11=750-999;12=1000 en meer
SBIc|string|10||SBI code
FileName|string|255||Naam bestand
FileStream|blob|0||Afbeelding
AddToPortal|boolean|0|M|Persoon toegang geven tot afgeschermde deel van de portal(s)
EmailPortal|string|255||E-mail toegang
""",
    "KnContact_2": """
PadAdr|boolean|0|M|Postadres is adres
ViKc|string|3||Soort Contact|AFD=Afdeling bij organisatie;AFL=Afleveradres
ExAd|string|255||Department
ViFu|string|20||Job|100=Directeur;200=Administratief medewerker;300=Hoofd salarisadministratie
FuDs|string|50||Job on business card
Corr|boolean|0||Correspondence
ViMd|string|20||Preferred medium|EMA=E-mail;FAX=Fax;PRS=Persoonlijk;PST=Post;TEL=Telefoonnr.
TeNr|string|255||Work phone no.
FaNr|string|255||Work fax
MbNr|string|255||Work mobile no.
EmAd|string|255||Work e-mail
HoPa|string|255||Website
Re|blob|0||Comment
Bl|boolean|0||Blocked
AtLn|string|255||Attn. of line
LeHe|string|255||Salutation
SocN|string|255||Social media
Face|string|255||Facebook
Link|string|255||LinkedIn
Twtr|string|255||X (formerly Twitter)
""",
    "FbSales": """
OrNu|string|12||Number
OrDa|date|0||Date
DbId|string|16|M|Sales contact
SoQu|string|12||Corresponding quotation
FaTo|string|16||Invoice to
DaDe|date|0||Required delivery date
DaPr|date|0||Delivery date (promised)
CuId|string|3||Currency
Rate|decimal|0||Exchange rate
BkOr|boolean|0||Backorder
RfCs|string|100||Order number/reference
SaCh|string|20||Sales channel|1=Website
VaDu|string|3||VAT duty
InVa|boolean|0||Price incl. VAT
PaCd|string|5||Payment condition
PaTp|string|5||Payment method
Re|blob|0||Remark
Unit|int|0||Administration
Coll|boolean|0||Collect
CrOr|boolean|0||Credit order
Rout|string|20||Route code|1=Route 1
War|string|15||Warehouse
CoDn|boolean|0||Collection packing slip
CoIn|boolean|0||Group invoice
DlPr|int|0||Delivery priority
LgId|string|3||Language
DeCo|string|20||Delivery conditions|0=Deellevering toestaan;1=Regel volledig uitleveren;2=Order volledig uitleveren;3=Geen backorders leveren
CsTy|string|1||CBS types
VaTr|string|20||Type of Statistics Netherlands transport|1=Zeevaart;2=Spoorvervoer;3=Wegvervoer;4=Luchtvaart;5=Postzendingen;7=Pijpleidingvervoer;8=Binnenvaart;9=Eigen vervoer
VaSt|string|20||'CBS' statistical system|00=Reguliere invoer/ICV en uitvoer/ICL;01=Doorlevering (ICL) van onbewerkte goederen naar een andere EU-lidstaat;02=Wederverkoop (ICL of uitvoer) van onbewerkte goederen;03=Invoer van goederen, doorlevering/uitvoer onbewerkte goederen;04=Verwerving/levering vóór eigen voorraadverplaatsing (fictieve zending);05=Verwerving/levering ná eigen voorraadverplaatsing (fictieve zending);10=Actieve douaneveredeling met toepassing van het terugbetalingssysteem
VaGs|string|20||'CBS' goods flow|6=Invoer/intra-cummunautaire verwerving (ICV);7=Uitvoer/intra-communautaire levering (ICL)
VaTa|string|20||'CBS' transaction
InPc|decimal|0||Invoice discount (%)
VaCl|boolean|0||Credit restriction including VAT
ClPc|decimal|0||Credit restriction (%)
PaPc|decimal|0||% Payment discount
VaPa|boolean|0||Payment discount incl. VAT
VaYN|boolean|0||Deviating VAT rate group
VaBc|string|20||Barcode type|0=Geen controle;1=Barcode EAN8;2=Barcode UPC;3=Barcode EAN13;4=Barcode EAN14;5=Barcode SSCC;6=Code 128;7=Interleaved 2/5;8=Interleaved 2/5 (controlegetal)
BaCo|string|30||Barcode
PrLa|string|32||Report
JoCo|string|6||Journal invoice
FuOr|boolean|0||Future order
DtId|int|0||Delivery type
PrId|string|15||Project
PrSt|string|15||Project phase
SeSt|string|20||Status shipment|0=Niet aanbieden aan vervoerder;1=Aanbieden aan vervoerder;2=Aangeboden aan vervoerder;3=Verzending correct ontvangen;4=Fout bij aanbieden verzending
SeWe|decimal|0||Shipping weight
QuCl|int|0||Number of packaging units
PkTp|string|20||Packaging type|BLOKPALLET=Blokpallet;BOX=Box;BUNDEL=Bundel;DIVERSEN=Diversen;ENVELOPE=Envelope;EURPALLET=Europallet;PALLET=Pallet
TrPt|string|16||Transporter
SsId|string|10||Service
OrPr|string|20||Processing order|1=Pakbon, factuur na levering;2=Pakbon en factuur;3=Factuur, levering na vooruitbetaling;4=Pakbon, geen factuur;5=Pakbon, factuur via nacalculatie;6=Pakbon en factuur, factuur niet afdrukken of verzenden;7=Aanbetalen, levering na aanbetaling
AmDp|decimal|0||Down payment amount
VeId|string|16||Sales representative
DlAd|int|0||Delivery address
ExAd|string|255||Delivery address description
BaDe|string|30||Delivery address barcode
SbAt|int|0||Attachment
CtI1|int|0||Deviating contact
CoId|string|3||'CBS' destination country
PuSa|boolean|0||Purchase per sales order
ETOr|string|20||Order type|I=Installatie;O=Onderhoud;S=Storing
Fref|string|32||Invoice reference
CoDs|string|8||Discount/supplement scale
FxBl|boolean|0||Order blokkeren
DlYN|boolean|0||Uitleverbaar
""",
    "FbSalesLines": """
VaIt|string|10|M|Item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
Ds|string|255||Description
VaRc|string|4||VAT rate group
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Qu|decimal|0||Quantity ordered
QuDl|decimal|0||Quantity to deliver
QuBo|decimal|0||Pending order quantity
QuAd|decimal|0||Quantity on order proposal
PrLi|string|5||Price list
War|string|15||Warehouse
EUSe|boolean|0||Service calculation
VaWt|string|20||Weight unit|0=Geen gewicht;1=Microgram (µg);2=Milligram (mg);3=Gram (g);4=Kilogram (kg);5=Ton
NeWe|decimal|0||Total net weight
GrWe|decimal|0||Total gross weight
Upri|decimal|0||Price per unit
CoPr|decimal|0||Cost price
VaAD|string|20||Discount allowed|0=Factuur- en regelkorting;1=Factuurkorting;2=Regelkorting;3=Geen factuur- en regelkorting
PRDc|decimal|0||% Line discount
ARDc|decimal|0||Amount line discount
MaAD|boolean|0||Manual line discount amount
Re|blob|0||Remark
DlDa|date|0||Deviating delivery date
GuLi|string|38||GUID line
StL1|string|10||Article dimension code 1
StL2|string|10||Article dimension code 2
DiDe|boolean|0||Direct supply from supplier
NoIn|boolean|0||Do not invoice
V1Cd|string|16||Exception axis code 1
V2Cd|string|16||Exception axis code 2
V3Cd|string|16||Exception axis code 3
V4Cd|string|16||Exception axis code 4
V5Cd|string|16||Exception axis code 5
Di01|int|0||(not used)
Di02|int|0||(not used)
Di03|int|0||(not used)
Di04|int|0||(not used)
Di05|int|0||(not used)
MoId|string|15||Monitoring code
CoTy|string|20||Type of project costs|MA=Materiaal;A=Arbeid;ME=Materieel;OA=Onderaanneming;O=Overige kosten
""",
    "FbOrderBatchLines": """
BaNu|string|100|M|Partijnummer
GuLi|string|38||Line GUID
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
Qu|decimal|0||Number
QuIn|decimal|0||Invoice quantity
Re|blob|0||Remark
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
""",
    "FbOrderSerialLines": """
SeNu|string|100|M|Serienummer
GuLi|string|38||Line GUID
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
Qu|decimal|0||Number
QuIn|decimal|0||Invoice quantity
Re|blob|0||Remark
""",
    "AfasFbOrderCompLines": """
VaIt|string|10|M|Part item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
GuLi|string|38||GUID line
PrSe|int|0||Presentation order
Ds|string|100||Description
StL1|string|10||Article dimension code 1
StL2|string|10||Article dimension code 2
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of part units
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Qu|decimal|0||Number of parts
QuBo|decimal|0||Pending order quantity (total)
QuAd|decimal|0||Number in order proposal (total)
War|string|15||Warehouse
PrAc|boolean|0||Asset component
PrIn|boolean|0||Print line
Re|blob|0||Remark
""",
    "FbOrderBatchLines_2": """
BaNu|string|100|M|Partijnummer
GuLi|string|38||Line GUID
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
Qu|decimal|0||Number
QuIn|decimal|0||Invoice quantity
QuDl|decimal|0||Quantity to deliver
DaEx|date|0||Expiry date
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Re|blob|0||Remark
""",
    "FbOrderSerialLines_2": """
SeNu|string|100|M|Serienummer
GuLi|string|38||Line GUID
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
Qu|decimal|0||Number
QuIn|decimal|0||Invoice quantity
QuDl|decimal|0||Quantity to deliver
Re|blob|0||Remark
""",
    "FbSalesQuotation": """
OrNu|string|12||Number
OrDa|date|0||Date
DbId|string|16|M|Sales contact
FaTo|string|16||Invoice to
DaDe|date|0||Required delivery date
DaPr|date|0||Delivery date (promised)
CuId|string|3||Currency
Rate|decimal|0||Exchange rate
RfCs|string|100||Order number/reference
SaCh|string|20||Sales channel|1=Website
VaDu|string|3||VAT duty
InVa|boolean|0||Price incl. VAT
PaCd|string|5||Payment condition
PaTp|string|5||Payment method
Re|blob|0||Remark
Unit|int|0||Administration
Coll|boolean|0||Collect
CrOr|boolean|0||Credit order
Rout|string|20||Route code|1=Route 1
War|string|15||Warehouse
CoDn|boolean|0||Collection packing slip
CoIn|boolean|0||Group invoice
DlPr|int|0||Delivery priority
LgId|string|3||Language
DeCo|string|20||Delivery conditions|0=Deellevering toestaan;1=Regel volledig uitleveren;2=Order volledig uitleveren;3=Geen backorders leveren
CsTy|string|1||CBS types
VaTr|string|20||Type of Statistics Netherlands transport|1=Zeevaart;2=Spoorvervoer;3=Wegvervoer;4=Luchtvaart;5=Postzendingen;7=Pijpleidingvervoer;8=Binnenvaart;9=Eigen vervoer
VaSt|string|20||'CBS' statistical system|00=Reguliere invoer/ICV en uitvoer/ICL;01=Doorlevering (ICL) van onbewerkte goederen naar een andere EU-lidstaat;02=Wederverkoop (ICL of uitvoer) van onbewerkte goederen;03=Invoer van goederen, doorlevering/uitvoer onbewerkte goederen;04=Verwerving/levering vóór eigen voorraadverplaatsing (fictieve zending);05=Verwerving/levering ná eigen voorraadverplaatsing (fictieve zending);10=Actieve douaneveredeling met toepassing van het terugbetalingssysteem
VaGs|string|20||'CBS' goods flow|6=Invoer/intra-cummunautaire verwerving (ICV);7=Uitvoer/intra-communautaire levering (ICL)
VaTa|string|20||'CBS' transaction
InPc|decimal|0||Invoice discount (%)
VaCl|boolean|0||Credit restriction including VAT
ClPc|decimal|0||Credit restriction (%)
PaPc|decimal|0||% Payment discount
VaPa|boolean|0||Payment discount incl. VAT
DaDu|date|0||Expiry date
VaYN|boolean|0||Deviating VAT rate group
VaBc|string|20||Barcode type|0=Geen controle;1=Barcode EAN8;2=Barcode UPC;3=Barcode EAN13;4=Barcode EAN14;5=Barcode SSCC;6=Code 128;7=Interleaved 2/5;8=Interleaved 2/5 (controlegetal)
BaCo|string|30||Barcode
PrLa|string|32||Report
JoCo|string|6||Journal invoice
FuOr|boolean|0||Future order
DtId|int|0||Delivery type
PrId|string|15||Project
PrSt|string|15||Project phase
TrPt|string|16||Transporter
SsId|string|10||Service
OrPr|string|20||Processing order|1=Pakbon, factuur na levering;2=Pakbon en factuur;3=Factuur, levering na vooruitbetaling;4=Pakbon, geen factuur;5=Pakbon, factuur via nacalculatie;6=Pakbon en factuur, factuur niet afdrukken of verzenden;7=Aanbetalen, levering na aanbetaling
AmDp|decimal|0||Down payment amount
VeId|string|16||Sales representative
DlAd|int|0||Delivery address
ExAd|string|255||Delivery address description
BaDe|string|30||Delivery address barcode
Pros|string|16||Prospect
FcNo|int|0||Forecast number
SbAt|int|0||Attachment
CtI1|int|0||Deviating contact
CoId|string|3||'CBS' destination country
PuSa|boolean|0||Purchase per sales order
VaQs|string|20||Quotation status|0=Onderhanden;1=Definitief;2=Akkoord verkooprelatie;3=Vervallen;4=Deellevering;5=Geleverd;6=Handmatig afgehandeld;7=Afgehandeld
""",
    "FbSalesQuotationLines": """
VaIt|string|10|M|Item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
Ds|string|255||Description
VaRc|string|4||VAT rate group
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Qu|decimal|0||Quantity ordered
PrLi|string|5||Price list
War|string|15||Warehouse
EUSe|boolean|0||Service calculation
VaWt|string|20||Weight unit|0=Geen gewicht;1=Microgram (µg);2=Milligram (mg);3=Gram (g);4=Kilogram (kg);5=Ton
NeWe|decimal|0||Total net weight
GrWe|decimal|0||Total gross weight
Upri|decimal|0||Price per unit
CoPr|decimal|0||Cost price
VaAD|string|20||Discount allowed|0=Factuur- en regelkorting;1=Factuurkorting;2=Regelkorting;3=Geen factuur- en regelkorting
PRDc|decimal|0||Percentage line discount
ARDc|decimal|0||Amount line discount
MaAD|boolean|0||Manual line discount amount
Re|blob|0||Remark
GuLi|string|38||Line GUID
StL1|string|10||Article dimension code 1
StL2|string|10||Article dimension code 2
DiDe|boolean|0||Direct supply from supplier
V1Cd|string|16||Axis allocation code 1
V2Cd|string|16||Axis allocation code 2
V3Cd|string|16||Axis allocation code 3
V4Cd|string|16||Axis allocation code 4
V5Cd|string|16||Axis allocation code 5
Di01|int|0||(not used)
Di02|int|0||(not used)
Di03|int|0||(not used)
Di04|int|0||(not used)
Di05|int|0||(not used)
MoId|string|15||Monitoring code
CoTy|string|20||Type of project costs|MA=Materiaal;A=Arbeid;ME=Materieel;OA=Onderaanneming;O=Overige kosten
""",
    "AfasFbOrderCompLines_2": """
VaIt|string|10|M|Part item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
GuLi|string|38||GUID line
PrSe|int|0||Presentation order
Ds|string|100||Description
StL1|string|10||Article dimension code 1
StL2|string|10||Article dimension code 2
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of part units
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Qu|decimal|0||Number of parts
War|string|15||Warehouse
PrAc|boolean|0||Asset component
PrIn|boolean|0||Print line
Re|blob|0||Remark
""",
    "FbDirectInvoice": """
OrNu|string|12||Packing slip number
SinOrNu|string|12||Factuurnummer
OrDa|date|0||Date
DbId|string|16|M|Sales contact
FaTo|string|16||Invoice to
DaDe|date|0||Required delivery date
DaPr|date|0||Delivery date (promised)
CuId|string|3||Currency
Rate|decimal|0||Exchange rate
RfCs|string|100||Order number/reference
SaCh|string|20||Sales channel|1=Website
VaDu|string|3||VAT duty
InVa|boolean|0||Price incl. VAT
PaCd|string|5||Payment condition
PaTp|string|5||Payment method
Re|blob|0||Remark
Unit|int|0||Administration
Coll|boolean|0||Collect
CrOr|boolean|0||Credit order
Rout|string|20||Route code|1=Route 1
War|string|15||Warehouse
CoDn|boolean|0||Collection packing slip
CoIn|boolean|0||Group invoice
DlPr|int|0||Delivery priority
LgId|string|3||Language
DeCo|string|20||Delivery conditions|0=Deellevering toestaan;1=Regel volledig uitleveren;2=Order volledig uitleveren;3=Geen backorders leveren
CsTy|string|1||CBS types
VaTr|string|20||Type of Statistics Netherlands transport|1=Zeevaart;2=Spoorvervoer;3=Wegvervoer;4=Luchtvaart;5=Postzendingen;7=Pijpleidingvervoer;8=Binnenvaart;9=Eigen vervoer
VaSt|string|20||'CBS' statistical system|00=Reguliere invoer/ICV en uitvoer/ICL;01=Doorlevering (ICL) van onbewerkte goederen naar een andere EU-lidstaat;02=Wederverkoop (ICL of uitvoer) van onbewerkte goederen;03=Invoer van goederen, doorlevering/uitvoer onbewerkte goederen;04=Verwerving/levering vóór eigen voorraadverplaatsing (fictieve zending);05=Verwerving/levering ná eigen voorraadverplaatsing (fictieve zending);10=Actieve douaneveredeling met toepassing van het terugbetalingssysteem
VaGs|string|20||'CBS' goods flow|6=Invoer/intra-cummunautaire verwerving (ICV);7=Uitvoer/intra-communautaire levering (ICL)
VaTa|string|20||'CBS' transaction
InPc|decimal|0||Invoice discount (%)
VaCl|boolean|0||Credit restriction including VAT
ClPc|decimal|0||Credit restriction (%)
PaPc|decimal|0||% Payment discount
VaPa|boolean|0||Payment discount incl. VAT
VaYN|boolean|0||Deviating VAT rate group
VaBc|string|20||Barcode type|0=Geen controle;1=Barcode EAN8;2=Barcode UPC;3=Barcode EAN13;4=Barcode EAN14;5=Barcode SSCC;6=Code 128;7=Interleaved 2/5;8=Interleaved 2/5 (controlegetal)
BaCo|string|30||Barcode
PrLa|string|32||Report
JoCo|string|6||Journal invoice
PrId|string|15||Project
PrSt|string|15||Project phase
VeId|string|16||Sales representative
DlAd|int|0||Delivery address
ExAd|string|255||Delivery address description
BaDe|string|30||Delivery address barcode
SbAt|int|0||Attachment
CtI1|int|0||Deviating contact
CoId|string|3||'CBS' destination country
Fref|string|32||Invoice reference
""",
    "FbDirectInvoiceLines": """
VaIt|string|10|M|Item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
Ds|string|255||Description
VaRc|string|4||VAT rate group
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
Qu|decimal|0||Number
PrLi|string|5||Price list
War|string|15||Warehouse
EUSe|boolean|0||Service calculation
VaWt|string|20||Weight unit|0=Geen gewicht;1=Microgram (µg);2=Milligram (mg);3=Gram (g);4=Kilogram (kg);5=Ton
NeWe|decimal|0||Total net weight
GrWe|decimal|0||Total gross weight
Upri|decimal|0||Price per unit
CoPr|decimal|0||Cost price
VaAD|string|20||Discount allowed|0=Factuur- en regelkorting;1=Factuurkorting;2=Regelkorting;3=Geen factuur- en regelkorting
PRDc|decimal|0||Percentage line discount
ARDc|decimal|0||Amount line discount
MaAD|boolean|0||Manual line discount amount
Re|blob|0||Remark
GuLi|string|38||Line GUID
StL1|string|10||Article dimension code 1
StL2|string|10||Article dimension code 2
Di01|int|0||(not used)
Di02|int|0||(not used)
Di03|int|0||(not used)
Di04|int|0||(not used)
Di05|int|0||(not used)
V1Cd|string|16||Axis allocation code 1
V2Cd|string|16||Axis allocation code 2
V3Cd|string|16||Axis allocation code 3
V4Cd|string|16||Axis allocation code 4
V5Cd|string|16||Axis allocation code 5
MoId|string|15||Monitoring code
CoTy|string|20||Type of project costs|MA=Materiaal;A=Arbeid;ME=Materieel;OA=Onderaanneming;O=Overige kosten
""",
    "FbOrderBatchLines_3": """
BaNu|string|100|M|Partijnummer
GuLi|string|38||Line GUID
BiUn|string|15|M|Unit
QuUn|decimal|0|M|Number of units
Qu|decimal|0||Number
QuIn|decimal|0||Invoice quantity
QuDl|decimal|0||Quantity to deliver
Re|blob|0||Remark
QuLe|decimal|0||Length
QuWi|decimal|0||Width
QuHe|decimal|0||Height
""",
    "FbOrderLocationLines": """
Loc|string|15|M|Location
Qu|decimal|0|M|Number
""",
    "FiEntryPar": """
Year|int|0|M|Financial year
Peri|int|0|M|Period
UnId|int|0||Administration number
JoCo|string|6|M|Journal
AdDc|boolean|0||Maak verbijzonderingscode
AdDa|boolean|0||Maak verbijzonderingstoewijzing
PrTp|int|0||Entry type
AuNu|boolean|0||Autonummering factuur
""",
    "FiEntries": """
EnNo|int|0|M|Journal entry number
VaAs|string|10|M|Account feature|1=Grootboekrekening;2=Debiteur;3=Crediteur
AcNr|string|16|M|Account number
EnDa|date|0|M|Date entry
BpDa|date|0|M|Voucher date
BpNr|string|32||Entry number
InId|string|12||Invoice number
Ds|string|255||Description entry
AmDe|decimal|0||Amount debit
AmCr|decimal|0||Amount credit
VaId|string|3||VAT code
CoVc|string|16||VAT reclaim
CuId|string|3||Currency
Rate|decimal|0||Exchange rate
AmDc|decimal|0||Debit currency amount
AmCc|decimal|0||Credit currency amount
DaEx|date|0||Expiry date
PaId|string|32||Payment reference
Judg|string|15||Reviewer
BlPa|boolean|0||Block for payment
AmGa|decimal|0||'G'-account amount
RsNo|int|0||Reservation number
CmNo|int|0||Liability number
PaCd|string|5||Payment condition
AuPa|boolean|0||Automatic payment/collection
PaBa|boolean|0||Refund
IB47|boolean|0||UBD - Amounts Paid to Third Parties
CaId|int|0||Campaign
OrNu|string|12||Sales order number
Mref|string|32||Reconciliation reference
Fref|string|32||Invoice reference
PrId|string|15||Project
BankAccount|string|40||Afwijkende betaalrekeningnr.
IdBa|int|0||Deviating payment account
DdId|string|35||Deviating mandate feature
DaCl|int|0||Days credit restriction
VaPa|boolean|0||Payment discount incl. VAT
DaDp|int|0||Days payment discount
AmDp|decimal|0||Payment discount
AcPa|decimal|0||Payment discount in currency
DsId|int|0||Deviating reminder set
""",
    "FiDimEntries": """
DiC1|string|16||Exception axis code 1
DiC2|string|16||Exception axis code 2
DiC3|string|16||Exception axis code 3
DiC4|string|16||Exception axis code 4
DiC5|string|16||Exception axis code 5
AmDe|decimal|0||Amount debit
AmCr|decimal|0||Amount credit
CuId|string|3||Currency
AmDc|decimal|0||Debit currency amount
AmCc|decimal|0||Credit currency amount
Quan|decimal|0||Number
""",
    "FiPrjEntries": """
PrId|string|15|M|Project
PrSt|string|15||Project phase
VaIt|string|10||Item type|1=Werksoort;10=Productie-indicator;11=Deeg;14=Artikeldimensietotaal;2=Artikel;3=Tekst;4=Subtotaal;5=Toeslag;6=Kosten;7=Samenstelling;8=Cursus
ItCd|string|40|M|Itemcode
Ds|string|255||Description
AmCo|decimal|0||Cost price
Ch|boolean|0||Charge
DcPr|decimal|0||Allowance %
AmSe|decimal|0||Sales amount basic currency
AmFc|decimal|0||Sales amount
CuId|string|3||Currency
Rate|decimal|0||Exchange rate
Di01|int|0||(not used)
Di02|int|0||(not used)
Di03|int|0||(not used)
Di04|int|0||(not used)
Di05|int|0||(not used)
Qu|decimal|0||Number
OvPc|decimal|0||Overheads (%)
EmId|string|15||Employee
MoId|string|15||Monitoring code
CoTy|string|20||Type of project costs|MA=Materiaal;A=Arbeid;ME=Materieel;OA=Onderaanneming;O=Overige kosten
""",
    "FiTransEntries": """
YeSt|int|0|M|Financial year from
PeSt|int|0|M|Period from
YeEn|int|0|M|Financial year up to incl.
PeEn|int|0|M|Period up to and incl
SuAc|string|16||Suspense account
VaRo|string|20||Rounding|N=Niet afronden;G=Afronden op gehele getallen;T=Afronden op tientallen;H=Afronden op honderdtallen;D=Afronden op duizendtallen
""",
}

# connector -> (root object, field list key, children), recursively
Tree = tuple[str, str, list["Tree"]]
TREES: dict[str, Tree] = {
    "KnSalesRelationOrg": ('KnSalesRelationOrg', 'KnSalesRelationOrg', [('KnOrganisation', 'KnOrganisation', [('KnBankAccount', 'KnBankAccount', []), ('KnBasicAddressAdr', 'KnBasicAddressAdr', []), ('KnBasicAddressPad', 'KnBasicAddressAdr', []), ('KnContact', 'KnContact', [('KnBasicAddressAdr', 'KnBasicAddressAdr', []), ('KnBasicAddressPad', 'KnBasicAddressAdr', []), ('KnPerson', 'KnPerson', [('KnBankAccount', 'KnBankAccount', []), ('KnBasicAddressAdr', 'KnBasicAddressAdr', []), ('KnBasicAddressPad', 'KnBasicAddressAdr', [])])])])]),
    "KnSalesRelationPer": ('KnSalesRelationPer', 'KnSalesRelationOrg', [('KnPerson', 'KnPerson_2', [('KnBankAccount', 'KnBankAccount', []), ('KnBasicAddressAdr', 'KnBasicAddressAdr', []), ('KnBasicAddressPad', 'KnBasicAddressAdr', []), ('KnContact', 'KnContact_2', [('KnBasicAddressAdr', 'KnBasicAddressAdr', []), ('KnBasicAddressPad', 'KnBasicAddressAdr', [])])])]),
    "FbSales": ('FbSales', 'FbSales', [('FbSalesLines', 'FbSalesLines', [('FbOrderBatchLines', 'FbOrderBatchLines', []), ('FbOrderSerialLines', 'FbOrderSerialLines', []), ('AfasFbOrderCompLines', 'AfasFbOrderCompLines', [('FbOrderBatchLines', 'FbOrderBatchLines_2', []), ('FbOrderSerialLines', 'FbOrderSerialLines_2', [])])])]),
    "FbSalesQuotation": ('FbSalesQuotation', 'FbSalesQuotation', [('FbSalesQuotationLines', 'FbSalesQuotationLines', [('AfasFbOrderCompLines', 'AfasFbOrderCompLines_2', [])])]),
    "FbDirectInvoice": ('FbDirectInvoice', 'FbDirectInvoice', [('FbDirectInvoiceLines', 'FbDirectInvoiceLines', [('FbOrderBatchLines', 'FbOrderBatchLines_3', [('FbOrderLocationLines', 'FbOrderLocationLines', [])]), ('FbOrderSerialLines', 'FbOrderSerialLines_2', [('FbOrderLocationLines', 'FbOrderLocationLines', [])]), ('FbOrderLocationLines', 'FbOrderLocationLines', []), ('AfasFbOrderCompLines', 'AfasFbOrderCompLines_2', [('FbOrderBatchLines', 'FbOrderBatchLines_2', [('FbOrderLocationLines', 'FbOrderLocationLines', [])]), ('FbOrderSerialLines', 'FbOrderSerialLines_2', [('FbOrderLocationLines', 'FbOrderLocationLines', [])]), ('FbOrderLocationLines', 'FbOrderLocationLines', [])])])]),
    "FiEntries": ('FiEntryPar', 'FiEntryPar', [('FiEntries', 'FiEntries', [('FiDimEntries', 'FiDimEntries', []), ('FiPrjEntries', 'FiPrjEntries', []), ('FiTransEntries', 'FiTransEntries', [])])]),
}
# fmt: on
