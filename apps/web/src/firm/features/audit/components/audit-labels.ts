import type { TFunction } from 'i18next';
import { type FirmMessages, firmFr } from '../../../i18n/fr';
import type { AuditEvent } from '../api/use-audit';

type ActionKey = keyof FirmMessages['audit']['actions'];
type TargetKey = keyof FirmMessages['audit']['targets'];
type ActorKey = keyof FirmMessages['audit']['actors'];

const actionKey = (action: string) => action.replaceAll('.', '_');

/** The actions the filter offers, in the order a person thinks of them. */
export const knownActions = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'idp.consent_granted',
  'idp.consent_denied',
  'file.created',
  'file.updated',
  'file.imported',
  'offer.activated',
  'offer.deactivated',
  'contact.created',
  'contact.updated',
  'contact.linked',
  'contact.link_updated',
  'contact.unlinked',
  'service.proposed',
  'service.revoked',
  'invitation.sent',
  'widget.activated',
  'widget.deactivated',
  'org_role.created',
  'org_role.renamed',
  'org_role.retired',
  'org_role.restored',
];

/** "offer.activated" → « Offre activée »; an action this version does not know stays as recorded. */
export function actionLabel(t: TFunction, action: string): string {
  const key = actionKey(action);
  return Object.hasOwn(firmFr.audit.actions, key) ? t(`firm.audit.actions.${key as ActionKey}`) : action;
}

export function actorLabel(t: TFunction, event: AuditEvent): string {
  if (event.actorName) return event.actorName;
  return Object.hasOwn(firmFr.audit.actors, event.actorType)
    ? t(`firm.audit.actors.${event.actorType as ActorKey}`)
    : event.actorType;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** What the event was about: its kind, and the most telling detail the server recorded. */
export function targetLabel(t: TFunction, event: AuditEvent): string {
  if (!event.targetType) return t('common.none');
  const kind = Object.hasOwn(firmFr.audit.targets, event.targetType)
    ? t(`firm.audit.targets.${event.targetType as TargetKey}`)
    : event.targetType;
  const details = event.details;
  const detail =
    text(details.name) ??
    text(details.to) ??
    text(details.email) ??
    text(details.code) ??
    (typeof details.count === 'number' ? String(details.count) : null);
  return detail ? `${kind} · ${detail}` : kind;
}
