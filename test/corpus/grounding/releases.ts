import type { LlmEmail } from '#contracts/emailDraft';
import type { EvalRelease, Fabrications } from './types.ts';

/** One release of the set with its faithful drafts and the fabrications injected into copies. */
export interface EvalCase {
  release: EvalRelease;
  /** Drafts a careful writer could send (every claim in the cited issues), with their locale. */
  faithful: FaithfulDraft[];
  fabrications: Fabrications;
}

type Item = [text: string, ...keys: string[]];

/** A faithful draft and the locale it is written for. */
export interface FaithfulDraft {
  locale: string;
  email: LlmEmail;
}

/** A draft from headings and items, in the shape the model returns. */
const draft = (
  locale: string,
  subject: string,
  intro: string,
  sections: Array<[heading: string, items: Item[]]>,
  outro: string,
): FaithfulDraft => ({
  locale,
  email: {
    subject,
    preheader: subject,
    intro,
    sections: sections.map(([heading, items]) => ({
      heading,
      items: items.map(([text, ...issueKeys]) => ({ text, issueKeys })),
    })),
    outro,
  },
});

/**
 * Ten releases in four languages. Jira text is English throughout (as teams write it); drafts are
 * in the release's locale and, for some, in English too. Written by hand: numbers, names and
 * promises in the faithful drafts come from the cited issues, reworded as a model would.
 */
export const EVAL_CASES: EvalCase[] = [
  {
    release: {
      id: 'shop-5.2',
      locale: 'en',
      versionName: 'Shop 5.2',
      releaseDate: '2026-03-10',
      issues: [
        {
          key: 'SHOP-101',
          issueType: 'Story',
          summary: 'Checkout loads 40% faster on mobile',
          description: 'Measured over 1,500 sessions after lazy-loading the payment widget.',
        },
        { key: 'SHOP-102', issueType: 'Bug', summary: 'Discount codes with lowercase letters were rejected' },
        {
          key: 'SHOP-103',
          issueType: 'Story',
          summary: 'Invoices can be downloaded as PDF',
          releaseNote: 'Invoices are available as PDF from the order page.',
        },
        {
          key: 'SHOP-104',
          issueType: 'Bug',
          summary: 'Wishlist lost items after 30 days',
          description: 'Items older than 30 days were dropped by the nightly cleanup job.',
        },
        {
          key: 'SHOP-105',
          issueType: 'Story',
          summary: 'Free shipping threshold shown in the cart',
          description: 'The cart shows how much is left until the free shipping threshold of €50.',
        },
      ],
    },
    faithful: [
      draft(
        'en',
        'Shop 5.2 arrives on March 10',
        'Shop 5.2 is planned for March 10, 2026. Here is what changes for you.',
        [
          [
            'New',
            [
              ['Checkout on phones now loads about 40% faster.', 'SHOP-101'],
              ['You can download your invoices as PDF files from the order page.', 'SHOP-103'],
              ['The cart shows how much more you need to spend to reach free shipping at €50.', 'SHOP-105'],
            ],
          ],
          [
            'Fixes',
            [
              ['Discount codes written in lowercase are accepted again.', 'SHOP-102'],
              ['Items no longer disappear from your wishlist after 30 days.', 'SHOP-104'],
            ],
          ],
        ],
        'Thank you for shopping with us.',
      ),
      draft(
        'en',
        'What is new in Shop 5.2',
        'A faster checkout, PDF invoices and a few fixes are coming in Shop 5.2.',
        [
          [
            'Improvements',
            [
              [
                'A faster checkout on mobile: pages load up to 40 % quicker, measured over 1,500 sessions.',
                'SHOP-101',
              ],
              ['Invoices as PDF, right from your order page.', 'SHOP-103'],
              ['See at a glance how close your cart is to the €50 free shipping threshold.', 'SHOP-105'],
              ['Lowercase discount codes work again.', 'SHOP-102'],
              ['Your wishlist keeps items older than 30 days.', 'SHOP-104'],
            ],
          ],
        ],
        'Questions? Reply to this email.',
      ),
    ],
    fabrications: {
      inventedKey: 'SHOP-131',
      introKey: 'Shop 5.2 also includes the payment fixes from SHOP-99.',
      number: { item: 1, text: 'You can download your invoices as PDF files, 10 times faster than before.' },
      promise: { item: 0, text: 'Checkout on phones now loads about 40% faster, guaranteed.' },
      unrelated: { text: 'Gift cards can now be redeemed at checkout.', cites: 'SHOP-102' },
      swap: [1, 3],
    },
  },
  {
    release: {
      id: 'billing-2.4',
      locale: 'de',
      versionName: 'Billing 2.4',
      releaseDate: '2026-04-01',
      issues: [
        {
          key: 'BILL-210',
          issueType: 'Story',
          summary: 'SEPA direct debit for invoices',
          description: 'Customers in the EU can pay invoices by SEPA direct debit.',
        },
        {
          key: 'BILL-211',
          issueType: 'Bug',
          summary: 'VAT rounding off by one cent on invoices over 1,000 EUR',
        },
        {
          key: 'BILL-212',
          issueType: 'Story',
          summary: 'Payment reminders after 14 days',
          releaseNote: 'A reminder email goes out 14 days after the due date.',
        },
        { key: 'BILL-213', issueType: 'Improvement', summary: 'Invoice export to DATEV format' },
        { key: 'BILL-214', issueType: 'Bug', summary: 'Credit notes showed the wrong customer number' },
      ],
    },
    faithful: [
      draft(
        'de',
        'Billing 2.4 erscheint am 1. April',
        'Mit Billing 2.4 kommen neue Zahlungswege und einige Korrekturen.',
        [
          [
            'Neu',
            [
              ['Rechnungen lassen sich per SEPA-Lastschrift bezahlen.', 'BILL-210'],
              ['Zahlungserinnerungen werden 14 Tage nach Fälligkeit verschickt.', 'BILL-212'],
              ['Rechnungen können im DATEV-Format exportiert werden.', 'BILL-213'],
            ],
          ],
          [
            'Behoben',
            [
              [
                'Die Mehrwertsteuer wird bei Rechnungen über 1.000 EUR wieder auf den Cent genau gerundet.',
                'BILL-211',
              ],
              ['Gutschriften zeigen die richtige Kundennummer.', 'BILL-214'],
            ],
          ],
        ],
        'Vielen Dank für Ihr Vertrauen.',
      ),
      draft(
        'en',
        'Billing 2.4 arrives on April 1',
        'Billing 2.4 adds SEPA direct debit and reminders, and fixes two invoice issues.',
        [
          [
            'New',
            [
              ['Pay invoices by SEPA direct debit (EU customers).', 'BILL-210'],
              ['A payment reminder is sent 14 days after the due date.', 'BILL-212'],
              ['Export invoices in DATEV format.', 'BILL-213'],
            ],
          ],
          [
            'Fixed',
            [
              ['VAT on invoices over 1,000 EUR is no longer off by one cent.', 'BILL-211'],
              ['Credit notes show the correct customer number.', 'BILL-214'],
            ],
          ],
        ],
        'Thank you for working with us.',
      ),
    ],
    fabrications: {
      inventedKey: 'BILL-299',
      introKey: 'Billing 2.4 enthält außerdem die Korrekturen aus BILL-7.',
      number: { item: 1, text: 'Zahlungserinnerungen werden 7 Tage nach Fälligkeit verschickt.' },
      promise: {
        item: 0,
        text: 'Rechnungen lassen sich per SEPA-Lastschrift bezahlen, dauerhaft kostenlos.',
      },
      unrelated: { text: 'Rechnungen können jetzt in Raten bezahlt werden.', cites: 'BILL-213' },
      swap: [1, 3],
    },
  },
  {
    release: {
      id: 'crm-8.0',
      locale: 'fr',
      versionName: 'CRM 8.0',
      releaseDate: '2026-05-12',
      issues: [
        {
          key: 'CRM-801',
          issueType: 'Story',
          summary: 'Contact import from CSV files up to 50,000 rows',
        },
        { key: 'CRM-802', issueType: 'Story', summary: 'Calendar sync with Outlook' },
        {
          key: 'CRM-803',
          issueType: 'Bug',
          summary: 'Duplicate contacts created when merging companies',
        },
        {
          key: 'CRM-804',
          issueType: 'Improvement',
          summary: 'Deal pipeline shows the expected revenue per stage',
          releaseNote: 'Each pipeline stage now shows its expected revenue.',
        },
        { key: 'CRM-805', issueType: 'Bug', summary: 'Search ignored accented characters' },
        { key: 'CRM-806', issueType: 'Story', summary: 'Dark mode for the web app' },
      ],
    },
    faithful: [
      draft(
        'fr',
        'CRM 8.0 arrive le 12 mai',
        'Voici les nouveautés de CRM 8.0.',
        [
          [
            'Nouveautés',
            [
              ["Importez vos contacts depuis des fichiers CSV jusqu'à 50 000 lignes.", 'CRM-801'],
              ['Votre calendrier se synchronise avec Outlook.', 'CRM-802'],
              ['Chaque étape du pipeline affiche le chiffre d’affaires attendu.', 'CRM-804'],
              ["Un mode sombre arrive dans l'application web.", 'CRM-806'],
            ],
          ],
          [
            'Corrections',
            [
              ["La fusion d'entreprises ne crée plus de contacts en double.", 'CRM-803'],
              ['La recherche tient compte des caractères accentués.', 'CRM-805'],
            ],
          ],
        ],
        'Merci de votre confiance.',
      ),
      draft(
        'fr',
        'CRM 8.0 : import, calendrier et mode sombre',
        'CRM 8.0 sort le 12 mai 2026 avec quatre nouveautés et deux corrections.',
        [
          [
            'Ce qui change',
            [
              ['Import CSV de 50 000 lignes maximum.', 'CRM-801'],
              ['Synchronisation du calendrier avec Outlook.', 'CRM-802'],
              ['Le chiffre d’affaires attendu par étape du pipeline.', 'CRM-804'],
              ['Un mode sombre pour l’application web.', 'CRM-806'],
              ['Plus de doublons lors de la fusion de sociétés.', 'CRM-803'],
              ['Une recherche qui reconnaît les accents.', 'CRM-805'],
            ],
          ],
        ],
        'Bonne journée.',
      ),
    ],
    fabrications: {
      inventedKey: 'CRM-880',
      introKey: 'CRM 8.0 corrige aussi le problème CRM-12 signalé par plusieurs clients.',
      number: { item: 0, text: "Importez vos contacts depuis des fichiers CSV jusqu'à 100 000 lignes." },
      promise: {
        item: 3,
        text: "Un mode sombre arrive dans l'application web, gratuit pour tous les clients.",
      },
      unrelated: { text: 'Les rapports peuvent être planifiés chaque semaine.', cites: 'CRM-802' },
      swap: [1, 4],
    },
  },
  {
    release: {
      id: 'travel-3.1',
      locale: 'es',
      versionName: 'Travel 3.1',
      releaseDate: '2026-06-02',
      issues: [
        {
          key: 'TRV-31',
          issueType: 'Story',
          summary: 'Seat selection during booking',
          description: 'Travellers pick their seat before paying.',
        },
        { key: 'TRV-32', issueType: 'Bug', summary: 'Booking confirmation email arrived twice' },
        {
          key: 'TRV-33',
          issueType: 'Story',
          summary: 'Free cancellation up to 24 hours before departure',
          releaseNote: 'Bookings can be cancelled free of charge up to 24 hours before departure.',
        },
        { key: 'TRV-34', issueType: 'Improvement', summary: 'Prices shown in the local currency' },
        { key: 'TRV-35', issueType: 'Bug', summary: 'Return date picker skipped February 29' },
      ],
    },
    faithful: [
      draft(
        'es',
        'Travel 3.1 llega el 2 de junio',
        'Estas son las novedades de Travel 3.1.',
        [
          [
            'Novedades',
            [
              ['Elija su asiento durante la reserva, antes de pagar.', 'TRV-31'],
              ['Cancele gratis hasta 24 horas antes de la salida.', 'TRV-33'],
              ['Los precios se muestran en la moneda local.', 'TRV-34'],
            ],
          ],
          [
            'Correcciones',
            [
              ['El correo de confirmación de la reserva ya no llega dos veces.', 'TRV-32'],
              ['El selector de fecha de regreso ya incluye el 29 de febrero.', 'TRV-35'],
            ],
          ],
        ],
        'Gracias por viajar con nosotros.',
      ),
      draft(
        'en',
        'Travel 3.1: seats, cancellations and prices',
        'Travel 3.1 is planned for June 2, 2026.',
        [
          [
            'New',
            [
              ['Choose your seat while booking.', 'TRV-31'],
              ['Cancel free of charge up to 24 hours before departure.', 'TRV-33'],
              ['See prices in your local currency.', 'TRV-34'],
            ],
          ],
          [
            'Fixed',
            [
              ['Booking confirmations are sent once.', 'TRV-32'],
              ['February 29 can be picked as a return date.', 'TRV-35'],
            ],
          ],
        ],
        'Have a good trip.',
      ),
    ],
    fabrications: {
      inventedKey: 'TRV-77',
      introKey: 'Travel 3.1 también resuelve la incidencia TRV-3 de pagos.',
      number: { item: 1, text: 'Cancele gratis hasta 48 horas antes de la salida.' },
      promise: {
        item: 2,
        text: 'Los precios se muestran en la moneda local, sin costo adicional para siempre.',
      },
      unrelated: { text: 'Ahora puede reservar hoteles junto con su vuelo.', cites: 'TRV-34' },
      swap: [0, 3],
    },
  },
  {
    release: {
      id: 'mobile-12',
      locale: 'en',
      versionName: 'Mobile 12',
      releaseDate: '2026-07-15',
      issues: [
        { key: 'MOB-1201', issueType: 'Story', summary: 'Face ID login on iOS' },
        {
          key: 'MOB-1202',
          issueType: 'Bug',
          summary: 'App crashed when opening notifications on Android 14',
        },
        {
          key: 'MOB-1203',
          issueType: 'Improvement',
          summary: 'App size reduced from 85 MB to 60 MB',
        },
        { key: 'MOB-1204', issueType: 'Story', summary: 'Offline mode for saved articles' },
        { key: 'MOB-1205', issueType: 'Bug', summary: 'Push notifications were delayed by up to 10 minutes' },
        { key: 'MOB-1206', issueType: 'Story', summary: 'Widget for the home screen' },
      ],
    },
    faithful: [
      draft(
        'en',
        'Mobile 12 is out on July 15',
        'Here is what is new in Mobile 12.',
        [
          [
            'New',
            [
              ['Log in with Face ID on iOS.', 'MOB-1201'],
              ['Read your saved articles offline.', 'MOB-1204'],
              ['Add a widget to your home screen.', 'MOB-1206'],
            ],
          ],
          ['Improvements', [['The app is smaller: 60 MB instead of 85 MB.', 'MOB-1203']]],
          [
            'Fixes',
            [
              ['Opening notifications on Android 14 no longer crashes the app.', 'MOB-1202'],
              ['Push notifications arrive on time again instead of up to 10 minutes late.', 'MOB-1205'],
            ],
          ],
        ],
        'Enjoy the update.',
      ),
      draft(
        'en',
        'Mobile 12: Face ID, offline reading and a widget',
        'Mobile 12 brings three new features, a smaller app and two fixes.',
        [
          [
            'What changes',
            [
              ['Face ID login for iOS.', 'MOB-1201'],
              ['Saved articles work offline.', 'MOB-1204'],
              ['A home screen widget.', 'MOB-1206'],
              ['A lighter download, down from 85 MB to 60 MB.', 'MOB-1203'],
              ['No more crash when you open a notification on Android 14.', 'MOB-1202'],
              ['No more push notifications delayed by up to 10 minutes.', 'MOB-1205'],
            ],
          ],
        ],
        'Thanks for using our app.',
      ),
    ],
    fabrications: {
      inventedKey: 'MOB-1299',
      introKey: 'Mobile 12 also ships the battery fix from MOB-88.',
      number: { item: 3, text: 'The app is smaller: 40 MB instead of 85 MB.' },
      promise: { item: 1, text: 'Read your saved articles offline, forever.' },
      unrelated: { text: 'You can now pay with Apple Pay in the app.', cites: 'MOB-1201' },
      swap: [4, 5],
    },
  },
  {
    release: {
      id: 'analytics-4.3',
      locale: 'de-AT',
      versionName: 'Analytics 4.3',
      releaseDate: '2026-08-20',
      issues: [
        {
          key: 'ANA-430',
          issueType: 'Story',
          summary: 'Dashboards can be shared with a read-only link',
        },
        {
          key: 'ANA-431',
          issueType: 'Improvement',
          summary: 'Reports load in under 2 seconds for up to 1 million rows',
        },
        { key: 'ANA-432', issueType: 'Bug', summary: 'Week numbers were wrong around New Year' },
        {
          key: 'ANA-433',
          issueType: 'Story',
          summary: 'Scheduled exports to Excel',
          description: 'Exports run daily or weekly and are sent by email.',
        },
        { key: 'ANA-434', issueType: 'Bug', summary: 'Filters reset after refreshing the page' },
      ],
    },
    faithful: [
      draft(
        'de-AT',
        'Analytics 4.3 erscheint am 20. August',
        'Analytics 4.3 bringt geteilte Dashboards, schnellere Berichte und geplante Exporte.',
        [
          [
            'Neu',
            [
              ['Dashboards lassen sich über einen Link zum reinen Lesen teilen.', 'ANA-430'],
              ['Exporte nach Excel können täglich oder wöchentlich geplant werden.', 'ANA-433'],
            ],
          ],
          ['Verbessert', [['Berichte mit bis zu 1 Million Zeilen laden in unter 2 Sekunden.', 'ANA-431']]],
          [
            'Behoben',
            [
              ['Kalenderwochen um den Jahreswechsel stimmen wieder.', 'ANA-432'],
              ['Filter bleiben nach dem Neuladen der Seite erhalten.', 'ANA-434'],
            ],
          ],
        ],
        'Viele Grüße aus dem Analytics-Team.',
      ),
      draft(
        'de-AT',
        'Analytics 4.3: schneller und teilbar',
        'Das ändert sich mit Analytics 4.3 am 20.08.2026.',
        [
          [
            'Änderungen',
            [
              ['Teilen Sie Dashboards mit einem Nur-Lese-Link.', 'ANA-430'],
              ['Unter 2 Sekunden Ladezeit für Berichte bis 1 Million Zeilen.', 'ANA-431'],
              ['Geplante Excel-Exporte, täglich oder wöchentlich per E-Mail.', 'ANA-433'],
              ['Richtige Wochennummern rund um Neujahr.', 'ANA-432'],
              ['Filter gehen beim Aktualisieren nicht mehr verloren.', 'ANA-434'],
            ],
          ],
        ],
        'Danke, dass Sie Analytics nutzen.',
      ),
    ],
    fabrications: {
      inventedKey: 'ANA-499',
      introKey: 'Außerdem ist die Korrektur aus ANA-42 enthalten.',
      number: { item: 2, text: 'Berichte mit bis zu 5 Millionen Zeilen laden in unter 2 Sekunden.' },
      promise: { item: 0, text: 'Dashboards lassen sich unbegrenzt über einen Link teilen.' },
      unrelated: { text: 'Berichte können jetzt als PowerPoint exportiert werden.', cites: 'ANA-434' },
      swap: [3, 4],
    },
  },
  {
    release: {
      id: 'hr-2026.2',
      locale: 'en-GB',
      versionName: 'HR 2026.2',
      releaseDate: '2026-09-01',
      issues: [
        { key: 'HR-620', issueType: 'Story', summary: 'Employees can request half-day leave' },
        {
          key: 'HR-621',
          issueType: 'Story',
          summary: 'Payslips archived for 10 years',
          releaseNote: 'Payslips stay available in the archive for 10 years.',
        },
        { key: 'HR-622', issueType: 'Bug', summary: 'Overtime was not added to the monthly total' },
        {
          key: 'HR-623',
          issueType: 'Improvement',
          summary: 'Onboarding checklist with 12 default tasks',
        },
        { key: 'HR-624', issueType: 'Bug', summary: 'Holiday calendar missed regional public holidays' },
      ],
    },
    faithful: [
      draft(
        'en-GB',
        'HR 2026.2 arrives on 1 September',
        'HR 2026.2 makes leave more flexible and keeps payslips longer.',
        [
          [
            'New',
            [
              ['Request leave for half a day.', 'HR-620'],
              ['Payslips stay in the archive for 10 years.', 'HR-621'],
              ['New starters get an onboarding checklist with 12 default tasks.', 'HR-623'],
            ],
          ],
          [
            'Fixed',
            [
              ['Overtime counts towards the monthly total again.', 'HR-622'],
              ['The holiday calendar includes regional public holidays.', 'HR-624'],
            ],
          ],
        ],
        'Kind regards, your HR team.',
      ),
      draft(
        'en-GB',
        'HR 2026.2: half-day leave and a 10-year payslip archive',
        'These changes arrive with HR 2026.2.',
        [
          [
            'Changes',
            [
              ['Half-day leave requests.', 'HR-620'],
              ['A payslip archive that keeps 10 years.', 'HR-621'],
              ['A 12-task onboarding checklist.', 'HR-623'],
              ['Overtime is part of the monthly total.', 'HR-622'],
              ['Regional public holidays appear in the holiday calendar.', 'HR-624'],
            ],
          ],
        ],
        'Thank you.',
      ),
    ],
    fabrications: {
      inventedKey: 'HR-690',
      introKey: 'HR 2026.2 also contains the payroll fix from HR-17.',
      number: { item: 2, text: 'New starters get an onboarding checklist with 20 default tasks.' },
      promise: { item: 1, text: 'Payslips stay in the archive for life.' },
      unrelated: { text: 'Expense claims can be approved from the mobile app.', cites: 'HR-620' },
      swap: [0, 4],
    },
  },
  {
    release: {
      id: 'logistics-6.5',
      locale: 'fr-CA',
      versionName: 'Logistics 6.5',
      releaseDate: '2026-10-05',
      issues: [
        { key: 'LOG-650', issueType: 'Story', summary: 'Live tracking of deliveries on a map' },
        {
          key: 'LOG-651',
          issueType: 'Improvement',
          summary: 'Delivery slots shortened to 2 hours',
        },
        { key: 'LOG-652', issueType: 'Bug', summary: 'Labels printed with a cut-off barcode' },
        {
          key: 'LOG-653',
          issueType: 'Story',
          summary: 'Return requests from the customer portal',
          description: 'Customers start a return within 30 days of delivery.',
        },
        { key: 'LOG-654', issueType: 'Bug', summary: 'Weight limit check ignored pallets over 1,200 kg' },
      ],
    },
    faithful: [
      draft(
        'fr-CA',
        'Logistics 6.5 arrive le 5 octobre',
        'Voici ce qui change avec Logistics 6.5.',
        [
          [
            'Nouveautés',
            [
              ['Suivez vos livraisons en direct sur une carte.', 'LOG-650'],
              ['Les créneaux de livraison passent à 2 heures.', 'LOG-651'],
              [
                'Demandez un retour depuis le portail client, dans les 30 jours suivant la livraison.',
                'LOG-653',
              ],
            ],
          ],
          [
            'Corrections',
            [
              ["Les étiquettes s'impriment avec un code-barres complet.", 'LOG-652'],
              ['Le contrôle du poids vérifie les palettes de plus de 1 200 kg.', 'LOG-654'],
            ],
          ],
        ],
        'Merci de votre confiance.',
      ),
      draft(
        'en',
        'Logistics 6.5: live tracking and shorter slots',
        'Logistics 6.5 is planned for October 5, 2026.',
        [
          [
            'New',
            [
              ['Track deliveries live on a map.', 'LOG-650'],
              ['Delivery slots of 2 hours.', 'LOG-651'],
              ['Start a return from the customer portal within 30 days of delivery.', 'LOG-653'],
            ],
          ],
          [
            'Fixed',
            [
              ['Barcodes on labels are no longer cut off.', 'LOG-652'],
              ['Pallets over 1,200 kg are checked against the weight limit.', 'LOG-654'],
            ],
          ],
        ],
        'Thank you for shipping with us.',
      ),
    ],
    fabrications: {
      inventedKey: 'LOG-699',
      introKey: 'Cette version inclut aussi le correctif LOG-5 pour les douanes.',
      number: {
        item: 2,
        text: 'Demandez un retour depuis le portail client, dans les 60 jours suivant la livraison.',
      },
      promise: { item: 0, text: 'Suivez vos livraisons en direct sur une carte, sans frais.' },
      unrelated: { text: 'Les factures de transport sont envoyées automatiquement.', cites: 'LOG-652' },
      swap: [1, 4],
    },
  },
  {
    release: {
      id: 'clinic-1.9',
      locale: 'es-MX',
      versionName: 'Clinic 1.9',
      releaseDate: '2026-11-03',
      issues: [
        { key: 'CLN-190', issueType: 'Story', summary: 'Patients book appointments online' },
        {
          key: 'CLN-191',
          issueType: 'Story',
          summary: 'SMS reminder 24 hours before the appointment',
        },
        { key: 'CLN-192', issueType: 'Bug', summary: 'Lab results attached to the wrong visit' },
        {
          key: 'CLN-193',
          issueType: 'Improvement',
          summary: 'Waiting list shows the estimated wait in minutes',
        },
        {
          key: 'CLN-194',
          issueType: 'Bug',
          summary: 'Prescriptions printed without the doctor license number',
        },
      ],
    },
    faithful: [
      draft(
        'es-MX',
        'Clinic 1.9 llega el 3 de noviembre',
        'Clinic 1.9 facilita las citas y corrige dos errores.',
        [
          [
            'Novedades',
            [
              ['Los pacientes pueden reservar citas en línea.', 'CLN-190'],
              ['Se envía un recordatorio por SMS 24 horas antes de la cita.', 'CLN-191'],
              ['La lista de espera muestra el tiempo estimado en minutos.', 'CLN-193'],
            ],
          ],
          [
            'Correcciones',
            [
              ['Los resultados de laboratorio se asocian a la visita correcta.', 'CLN-192'],
              ['Las recetas impresas incluyen el número de licencia del médico.', 'CLN-194'],
            ],
          ],
        ],
        'Gracias por confiar en nosotros.',
      ),
      draft(
        'es-MX',
        'Clinic 1.9: citas en línea y recordatorios',
        'Estos son los cambios de Clinic 1.9.',
        [
          [
            'Cambios',
            [
              ['Reserva de citas en línea para pacientes.', 'CLN-190'],
              ['Recordatorios por SMS, 24 horas antes.', 'CLN-191'],
              ['Tiempo de espera estimado, en minutos.', 'CLN-193'],
              ['Resultados de laboratorio en la visita que corresponde.', 'CLN-192'],
              ['Número de licencia del médico en cada receta.', 'CLN-194'],
            ],
          ],
        ],
        'Saludos cordiales.',
      ),
    ],
    fabrications: {
      inventedKey: 'CLN-250',
      introKey: 'Clinic 1.9 incluye además la corrección CLN-9 de facturación.',
      number: { item: 1, text: 'Se envía un recordatorio por SMS 48 horas antes de la cita.' },
      promise: { item: 0, text: 'Los pacientes pueden reservar citas en línea de forma gratuita.' },
      unrelated: { text: 'Las videoconsultas ya están disponibles.', cites: 'CLN-193' },
      swap: [0, 3],
    },
  },
  {
    release: {
      id: 'learn-7.0',
      locale: 'en-US',
      versionName: 'Learn 7.0',
      releaseDate: '2026-12-01',
      issues: [
        {
          key: 'EDU-700',
          issueType: 'Story',
          summary: 'Quizzes with a time limit',
          description: 'Teachers set a limit between 5 and 120 minutes.',
        },
        { key: 'EDU-701', issueType: 'Story', summary: 'Course certificates as PDF' },
        { key: 'EDU-702', issueType: 'Bug', summary: 'Video progress was lost after 45 minutes' },
        {
          key: 'EDU-703',
          issueType: 'Improvement',
          summary: 'Class size raised from 30 to 60 students',
        },
        { key: 'EDU-704', issueType: 'Story', summary: 'Parents see grades in the "Family View"' },
      ],
    },
    faithful: [
      draft(
        'en-US',
        'Learn 7.0 arrives on December 1',
        'Learn 7.0 adds timed quizzes, certificates and a view for families.',
        [
          [
            'New',
            [
              ['Set a time limit for quizzes, from 5 to 120 minutes.', 'EDU-700'],
              ['Students get their course certificates as PDF.', 'EDU-701'],
              ['Parents see grades in the "Family View".', 'EDU-704'],
            ],
          ],
          ['Improved', [['Classes can now hold 60 students instead of 30.', 'EDU-703']]],
          ['Fixed', [['Video progress is kept past 45 minutes.', 'EDU-702']]],
        ],
        'Happy teaching!',
      ),
      draft(
        'en-US',
        'What changes in Learn 7.0',
        'Five changes are coming in Learn 7.0.',
        [
          [
            'Changes',
            [
              ['Timed quizzes (5 to 120 minutes).', 'EDU-700'],
              ['PDF certificates for completed courses.', 'EDU-701'],
              ['The “Family View” shows parents their children’s grades.', 'EDU-704'],
              ['Up to 60 students per class, up from 30.', 'EDU-703'],
              ['Long videos keep your progress after 45 minutes.', 'EDU-702'],
            ],
          ],
        ],
        'Thanks for teaching with Learn.',
      ),
    ],
    fabrications: {
      inventedKey: 'EDU-777',
      introKey: 'Learn 7.0 also fixes the grading bug EDU-70.',
      number: { item: 3, text: 'Classes can now hold 100 students instead of 30.' },
      promise: { item: 1, text: 'Students always get their course certificates as PDF, at no cost.' },
      unrelated: { text: 'Assignments can be submitted by voice message.', cites: 'EDU-701' },
      swap: [1, 4],
    },
  },
];
