/** The fixed wording of an email in one language; every value is trusted template text. */
export interface LocaleStrings {
  /** BCP 47 language the strings are in. */
  readonly language: string;
  /** Text around the recipient-name placeholder in the greeting line (`Hi ` … `,`). */
  readonly greeting: { readonly before: string; readonly after: string };
  /** What the send stage puts in place of the name when a recipient has none (`Hi there,`). */
  readonly neutralName: string;
  readonly releaseDateLabel: string;
  /** Shown instead of a date when the version has none. */
  readonly noReleaseDate: string;
  /** Heading of the plain-text part's list of issue links. */
  readonly issueLinksHeading: string;
  /** Footer line; `project` is untrusted and escaped by the renderer. */
  readonly footer: (project: string) => string;
  readonly unsubscribe: string;
  /** The visible line that marks an email written from a template rather than by the LLM. */
  readonly templateMarker: string;
  readonly templateSubjectBefore: (project: string, version: string, when: string) => string;
  readonly templateSubjectOnRelease: (project: string, version: string) => string;
  readonly templateIntroBefore: (version: string, when: string) => string;
  readonly templateIntroOnRelease: (version: string) => string;
  /** `today`, `tomorrow`, `in 7 days`, or the date when the day count is unknown. */
  readonly when: (daysBefore: number | undefined, date: string) => string;
  readonly moreIssues: (count: number) => string;
  /** Said when Jira holds more issues than were read. */
  readonly truncatedNote: string;
  readonly noIssues: string;
  /** Group heading of issues without a type. */
  readonly otherType: string;
}

const en: LocaleStrings = {
  language: 'en',
  greeting: { before: 'Hi ', after: ',' },
  neutralName: 'there',
  releaseDateLabel: 'Release date',
  noReleaseDate: 'not set',
  issueLinksHeading: 'Issues mentioned',
  footer: (project) => `You receive this email because you are a contact of ${project}.`,
  unsubscribe: 'Unsubscribe',
  templateMarker: 'Summary generated from Jira.',
  templateSubjectBefore: (project, version, when) => `${project} ${version} is coming ${when}`,
  templateSubjectOnRelease: (project, version) => `${project} ${version} is released`,
  templateIntroBefore: (version, when) => `Version ${version} is planned for release ${when}. It includes:`,
  templateIntroOnRelease: (version) => `Version ${version} has been released. It includes:`,
  when: (days, date) =>
    days === undefined ? `on ${date}` : days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`,
  moreIssues: (count) => `…and ${count} more ${count === 1 ? 'issue' : 'issues'}.`,
  truncatedNote: 'Jira lists further issues for this release.',
  noIssues: 'No issues are listed for this release yet.',
  otherType: 'Other',
};

const de: LocaleStrings = {
  language: 'de',
  greeting: { before: 'Hallo ', after: ',' },
  neutralName: 'zusammen',
  releaseDateLabel: 'Veröffentlichung',
  noReleaseDate: 'nicht festgelegt',
  issueLinksHeading: 'Erwähnte Vorgänge',
  footer: (project) => `Sie erhalten diese E-Mail als Kontakt von ${project}.`,
  unsubscribe: 'Abmelden',
  templateMarker: 'Zusammenfassung aus Jira erstellt.',
  templateSubjectBefore: (project, version, when) => `${project} ${version} erscheint ${when}`,
  templateSubjectOnRelease: (project, version) => `${project} ${version} ist erschienen`,
  templateIntroBefore: (version, when) =>
    `Version ${version} erscheint voraussichtlich ${when}. Sie enthält:`,
  templateIntroOnRelease: (version) => `Version ${version} ist erschienen. Sie enthält:`,
  when: (days, date) =>
    days === undefined ? `am ${date}` : days <= 0 ? 'heute' : days === 1 ? 'morgen' : `in ${days} Tagen`,
  moreIssues: (count) => `…und ${count} weitere ${count === 1 ? 'Vorgang' : 'Vorgänge'}.`,
  truncatedNote: 'Jira enthält weitere Vorgänge zu dieser Version.',
  noIssues: 'Zu dieser Version sind noch keine Vorgänge erfasst.',
  otherType: 'Sonstiges',
};

const fr: LocaleStrings = {
  language: 'fr',
  greeting: { before: 'Bonjour ', after: ',' },
  neutralName: 'à tous',
  releaseDateLabel: 'Date de sortie',
  noReleaseDate: 'non définie',
  issueLinksHeading: 'Tickets mentionnés',
  footer: (project) => `Vous recevez cet e-mail en tant que contact de ${project}.`,
  unsubscribe: 'Se désabonner',
  templateMarker: 'Résumé généré à partir de Jira.',
  templateSubjectBefore: (project, version, when) => `${project} ${version} sort ${when}`,
  templateSubjectOnRelease: (project, version) => `${project} ${version} est disponible`,
  templateIntroBefore: (version, when) => `La version ${version} est prévue ${when}. Elle comprend :`,
  templateIntroOnRelease: (version) => `La version ${version} est disponible. Elle comprend :`,
  when: (days, date) =>
    days === undefined
      ? `le ${date}`
      : days <= 0
        ? "aujourd'hui"
        : days === 1
          ? 'demain'
          : `dans ${days} jours`,
  moreIssues: (count) => `…et ${count} ${count === 1 ? 'autre ticket' : 'autres tickets'}.`,
  truncatedNote: "Jira contient d'autres tickets pour cette version.",
  noIssues: "Aucun ticket n'est encore associé à cette version.",
  otherType: 'Autres',
};

const es: LocaleStrings = {
  language: 'es',
  greeting: { before: 'Hola ', after: ',' },
  neutralName: 'a todos',
  releaseDateLabel: 'Fecha de lanzamiento',
  noReleaseDate: 'sin definir',
  issueLinksHeading: 'Incidencias mencionadas',
  footer: (project) => `Recibe este correo como contacto de ${project}.`,
  unsubscribe: 'Darse de baja',
  templateMarker: 'Resumen generado a partir de Jira.',
  templateSubjectBefore: (project, version, when) => `${project} ${version} llega ${when}`,
  templateSubjectOnRelease: (project, version) => `${project} ${version} ya está disponible`,
  templateIntroBefore: (version, when) => `La versión ${version} está prevista ${when}. Incluye:`,
  templateIntroOnRelease: (version) => `La versión ${version} ya está disponible. Incluye:`,
  when: (days, date) =>
    days === undefined ? `el ${date}` : days <= 0 ? 'hoy' : days === 1 ? 'mañana' : `en ${days} días`,
  moreIssues: (count) => `…y ${count} ${count === 1 ? 'incidencia más' : 'incidencias más'}.`,
  truncatedNote: 'Jira contiene más incidencias para esta versión.',
  noIssues: 'Todavía no hay incidencias asociadas a esta versión.',
  otherType: 'Otros',
};

const BY_LANGUAGE: Readonly<Record<string, LocaleStrings>> = { en, de, fr, es };

/**
 * The template wording for a locale tag, by its language subtag (`de-AT` → German); English
 * for a language without a translation. The LLM writes the content itself in any locale.
 */
export const localeStrings = (locale: string): LocaleStrings =>
  BY_LANGUAGE[locale.split('-')[0]?.toLowerCase() ?? ''] ?? en;

/**
 * Formats a Jira `yyyy-mm-dd` date for a locale (`June 10, 2025`, `10. Juni 2025`). The date has
 * no zone, so it is formatted as a UTC calendar day; an unknown locale falls back to English.
 */
export const formatReleaseDate = (date: string, locale: string): string => {
  const instant = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(instant.getTime())) return date;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };
  try {
    return new Intl.DateTimeFormat(locale, options).format(instant);
  } catch {
    // A structurally invalid tag makes Intl throw RangeError; the contract regex allows a few.
    return new Intl.DateTimeFormat('en', options).format(instant);
  }
};
