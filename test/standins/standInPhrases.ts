/** Section of an issue in a stand-in email, from its Jira issue type. */
export type StandInSection = 'features' | 'improvements' | 'fixes' | 'other';

/** The fixed wording of the OpenAI stand-in's emails in one language. */
export interface StandInPhrases {
  /** Subject ending for an upcoming release (`Demo Shop Release 1.0: coming soon`). */
  readonly upcoming: string;
  /** Subject ending for a release out today. */
  readonly available: string;
  /** The preheader: how many changes the version brings. */
  readonly preheader: (count: number, version: string) => string;
  readonly introUpcoming: (version: string, project: string) => string;
  readonly introAvailable: (version: string, project: string) => string;
  readonly outro: string;
  readonly headings: Readonly<Record<StandInSection, string>>;
  /** Item text of an issue with no usable summary. */
  readonly aChange: string;
  /** Stand-ins for a project or version name with nothing usable in it. */
  readonly theProduct: string;
  readonly theNewVersion: string;
}

const en: StandInPhrases = {
  upcoming: 'coming soon',
  available: 'now available',
  preheader: (count, version) => `${count} ${count === 1 ? 'change' : 'changes'} in ${version}`,
  introUpcoming: (version, project) => `Here is what is coming in ${version} of ${project}.`,
  introAvailable: (version, project) => `Here is what is new in ${version} of ${project}.`,
  outro: 'Thank you for working with us.',
  headings: {
    features: 'New features',
    improvements: 'Improvements',
    fixes: 'Fixes',
    other: 'Other changes',
  },
  aChange: 'A change',
  theProduct: 'The product',
  theNewVersion: 'the new version',
};

const de: StandInPhrases = {
  upcoming: 'bald verfügbar',
  available: 'jetzt verfügbar',
  preheader: (count, version) => `${count} ${count === 1 ? 'Änderung' : 'Änderungen'} in ${version}`,
  introUpcoming: (version, project) => `Das kommt mit ${version} von ${project}.`,
  introAvailable: (version, project) => `Das ist neu in ${version} von ${project}.`,
  outro: 'Vielen Dank für die gute Zusammenarbeit.',
  headings: {
    features: 'Neue Funktionen',
    improvements: 'Verbesserungen',
    fixes: 'Fehlerbehebungen',
    other: 'Weitere Änderungen',
  },
  aChange: 'Eine Änderung',
  theProduct: 'Das Produkt',
  theNewVersion: 'die neue Version',
};

const fr: StandInPhrases = {
  upcoming: 'bientôt disponible',
  available: 'disponible dès maintenant',
  preheader: (count, version) => `${count} ${count === 1 ? 'changement' : 'changements'} dans ${version}`,
  introUpcoming: (version, project) => `Voici ce qui arrive dans ${version} de ${project}.`,
  introAvailable: (version, project) => `Voici les nouveautés de ${version} de ${project}.`,
  outro: 'Merci de votre confiance.',
  headings: {
    features: 'Nouvelles fonctionnalités',
    improvements: 'Améliorations',
    fixes: 'Corrections',
    other: 'Autres changements',
  },
  aChange: 'Un changement',
  theProduct: 'Le produit',
  theNewVersion: 'la nouvelle version',
};

const es: StandInPhrases = {
  upcoming: 'disponible pronto',
  available: 'ya disponible',
  preheader: (count, version) => `${count} ${count === 1 ? 'cambio' : 'cambios'} en ${version}`,
  introUpcoming: (version, project) => `Esto es lo que llega en ${version} de ${project}.`,
  introAvailable: (version, project) => `Esto es lo nuevo en ${version} de ${project}.`,
  outro: 'Gracias por confiar en nosotros.',
  headings: { features: 'Novedades', improvements: 'Mejoras', fixes: 'Correcciones', other: 'Otros cambios' },
  aChange: 'Un cambio',
  theProduct: 'El producto',
  theNewVersion: 'la nueva versión',
};

/** Every language the stand-in writes, by language subtag. */
export const STAND_IN_PHRASES: Readonly<Record<string, StandInPhrases>> = { en, de, fr, es };

/** The stand-in's wording for a locale tag by its language (`de-AT` → German); English otherwise. */
export const standInPhrases = (locale: string): StandInPhrases =>
  STAND_IN_PHRASES[locale.split('-')[0]?.toLowerCase() ?? ''] ?? en;

/** The section of a Jira issue type. */
export const SECTION_OF_TYPE: Readonly<Record<string, StandInSection>> = {
  Bug: 'fixes',
  Story: 'features',
  'New Feature': 'features',
  Feature: 'features',
  Improvement: 'improvements',
  Task: 'improvements',
};
