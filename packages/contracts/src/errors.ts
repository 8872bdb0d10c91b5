/**
 * Stable error codes shared by server and UI. The server answers
 * `{ error: { code, message } }`; the UI shows its own French/English text for the code.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  LOGIN_FAILED: 400,
  SIREN_INVALID: 400,
  EMAIL_TAKEN: 409,
  FILE_CODE_TAKEN: 409,
  ROLE_NAME_TAKEN: 409,
  ROLE_RETIRED: 400,
  OFFER_UNKNOWN: 400,
  OFFER_NOT_ACTIVE: 409,
  CONTACT_NOT_LINKED: 409,
  ALREADY_LINKED: 409,
  SERVICE_ALREADY_PROPOSED: 409,
  IMPORT_INVALID: 400,
  FILE_EMPTY: 400,
  FILE_TYPE_REFUSED: 415,
  FILE_TYPE_MISMATCH: 400,
  FILE_NAME_INVALID: 400,
  UPLOAD_TRUNCATED: 400,
  FEC_REFUSED: 422,
  FOLDER_NOT_EMPTY: 409,
  FOLDER_NAME_TAKEN: 409,
  FOLDER_PROTECTED: 409,
  DUPLICATE_DOCUMENT: 409,
  DUPLICATE_PIECE: 409,
  RANGE_NOT_SATISFIABLE: 416,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: {
    code: ErrorCode | string;
    message: string;
    fields?: { path: string; code: string; message: string }[];
  };
}

/** French first: the message a person reads when the server refuses. */
export const errorMessagesFr: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Certaines informations sont invalides.',
  BAD_REQUEST: 'La requête est invalide.',
  UNAUTHENTICATED: 'Veuillez vous connecter.',
  CSRF_FAILED: 'La requête a été refusée (jeton de sécurité invalide). Rechargez la page.',
  FORBIDDEN: "Vous n'avez pas le droit d'effectuer cette action.",
  NOT_FOUND: 'Élément introuvable.',
  CONFLICT: 'Cette action entre en conflit avec des données existantes.',
  PAYLOAD_TOO_LARGE: 'Le fichier est trop volumineux.',
  UNSUPPORTED_MEDIA_TYPE: "Ce type de fichier n'est pas accepté.",
  RATE_LIMITED: 'Trop de tentatives. Réessayez dans quelques minutes.',
  LOGIN_FAILED: 'La connexion a échoué.',
  SIREN_INVALID: 'Le SIREN doit comporter 9 chiffres et être valide (clé de Luhn).',
  EMAIL_TAKEN: 'Un interlocuteur du cabinet utilise déjà cet e-mail.',
  FILE_CODE_TAKEN: 'Un dossier du cabinet porte déjà ce code.',
  ROLE_NAME_TAKEN: 'Un rôle organisationnel porte déjà ce nom.',
  ROLE_RETIRED: 'Ce rôle organisationnel est retiré : il ne peut plus être choisi.',
  OFFER_UNKNOWN: "Cette offre n'existe pas.",
  OFFER_NOT_ACTIVE: "Cette offre n'est pas activée sur ce dossier.",
  CONTACT_NOT_LINKED: "L'interlocuteur n'est pas rattaché à ce dossier.",
  ALREADY_LINKED: "L'interlocuteur est déjà rattaché à ce dossier.",
  SERVICE_ALREADY_PROPOSED: 'Ce service collaboratif est déjà proposé à cet interlocuteur sur ce dossier.',
  IMPORT_INVALID: "Le fichier contient des erreurs : rien n'a été importé.",
  FILE_EMPTY: "Le fichier est vide : rien n'a été enregistré.",
  FILE_TYPE_REFUSED:
    "Ce type de fichier n'est pas accepté. Formats acceptés : PDF, JPEG, PNG, HEIC, WebP, TIFF, CSV, TXT, XML, XLSX, DOCX, ODT, ODS.",
  FILE_TYPE_MISMATCH: 'Le contenu du fichier ne correspond pas à son extension ou à son type déclaré.',
  FILE_NAME_INVALID: 'Le nom du fichier est invalide (caractères interdits ou nom trop long).',
  UPLOAD_TRUNCATED: "L'envoi du fichier a été interrompu : rien n'a été enregistré. Réessayez.",
  FEC_REFUSED: "Le FEC contient des erreurs bloquantes : il n'a pas été importé.",
  FOLDER_NOT_EMPTY: "Le dossier n'est pas vide : déplacez ou supprimez d'abord son contenu.",
  FOLDER_NAME_TAKEN: 'Un dossier porte déjà ce nom à cet endroit.',
  FOLDER_PROTECTED: 'Le dossier « Pièces déposées » ne peut être ni supprimé ni déplacé.',
  DUPLICATE_DOCUMENT: 'Ce document a déjà été déposé.',
  DUPLICATE_PIECE: 'Cette pièce a déjà été déposée.',
  RANGE_NOT_SATISFIABLE: 'La plage demandée est invalide.',
  INTERNAL: 'Une erreur inattendue est survenue.',
  SERVICE_UNAVAILABLE: 'Le service est momentanément indisponible.',
};
