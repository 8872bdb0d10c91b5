import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import {
  clientFiles,
  firms,
  identityProviders,
  idpAccounts,
  idpMemberships,
  staffMembers,
} from '../db/schema/index.ts';
import { hashPassword } from '../modules/identity/embedded/passwords.ts';

export const DEMO_FIRM_SLUG = 'cabinet-demo';
export const DEMO_PASSWORD = 'Demo-Passerelle-2026';
export const DEMO_ADMIN_EMAIL = 'admin@cabinet-demo.test';

const staff = [
  { email: DEMO_ADMIN_EMAIL, firstName: 'Camille', lastName: 'Martin', role: 'administrateur' },
  {
    email: 'julien.bernard@cabinet-demo.test',
    firstName: 'Julien',
    lastName: 'Bernard',
    role: 'collaborateur',
  },
  {
    email: 'sophie.durand@cabinet-demo.test',
    firstName: 'Sophie',
    lastName: 'Durand',
    role: 'lecture_seule',
  },
] as const;

const companies: [string, string][] = [
  ['Boulangerie Lefèvre', 'SARL'],
  ['Garage du Centre', 'SAS'],
  ['Menuiserie Roux & Fils', 'SARL'],
  ['Cabinet Infirmier Moreau', 'SCM'],
  ['Pharmacie des Tilleuls', 'SELARL'],
  ['Atelier Textile Girard', 'SAS'],
  ['Restaurant Le Petit Zinc', 'SARL'],
  ['Transports Fournier', 'SAS'],
  ['Fromagerie Mercier', 'EURL'],
  ['Plomberie Blanc', 'EI'],
  ['Agence Immobilière Chevalier', 'SAS'],
  ['Librairie Gauthier', 'SARL'],
  ['Ferme Perrin', 'EARL'],
  ['Studio Graphique Robin', 'SASU'],
  ['Électricité Clément', 'EURL'],
  ['Fleuriste Morel', 'EI'],
  ['Coiffure Lambert', 'SARL'],
  ['SCI Les Marronniers', 'SCI'],
  ['Conseil Bonnet', 'SASU'],
  ['Domaine Viticole Faure', 'SCEA'],
];

/** Luhn check digit, so every demo SIREN is a valid one. */
export function sirenFromPrefix(prefix8: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = `${prefix8}${d}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let n = Number(candidate[8 - i]);
      if (i % 2 === 1) {
        n *= 2;
        if (n > 9) n -= 9;
      }
      sum += n;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one digit always completes a Luhn number');
}

/** Creates "Cabinet Démo" once; later starts find it and change nothing. */
export async function seedDemoData(ctx: AppContext): Promise<{ created: boolean; firmId: string }> {
  const existing = await ctx.db.select({ id: firms.id }).from(firms).where(eq(firms.slug, DEMO_FIRM_SLUG));
  if (existing[0]) return { created: false, firmId: existing[0].id };
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return ctx.db.transaction(async (tx) => {
    const [firm] = await tx
      .insert(firms)
      .values({ slug: DEMO_FIRM_SLUG, name: 'Cabinet Démo', settings: { collaboratorsSeeAllFiles: false } })
      .returning();
    if (!firm) throw new Error('demo firm not created');
    await tx.insert(identityProviders).values({
      firmId: firm.id,
      kind: ctx.config.identity.kind === 'embedded' ? 'embedded' : 'oidc',
      issuer: ctx.config.identity.issuer,
    });
    const members = await tx
      .insert(staffMembers)
      .values(staff.map((s) => ({ ...s, firmId: firm.id })))
      .returning();
    if (ctx.config.identity.kind === 'embedded') {
      for (const s of staff) {
        const [account] = await tx
          .insert(idpAccounts)
          .values({
            email: s.email,
            emailVerified: true,
            givenName: s.firstName,
            familyName: s.lastName,
            passwordHash,
          })
          .returning();
        if (account) await tx.insert(idpMemberships).values({ accountId: account.id, firmId: firm.id });
      }
    }
    const admin = members.find((m) => m.role === 'administrateur');
    const collaborator = members.find((m) => m.role === 'collaborateur');
    await tx.insert(clientFiles).values(
      companies.map(([name, legalForm], i) => ({
        firmId: firm.id,
        code: `CLI${String(i + 1).padStart(4, '0')}`,
        name,
        legalForm,
        siren: sirenFromPrefix(String(81234560 + i * 7919).slice(0, 8)),
        fiscalYearEnd: i % 4 === 0 ? '2026-06-30' : '2026-12-31',
        responsibleId: (i % 2 === 0 ? admin?.id : collaborator?.id) ?? null,
      })),
    );
    return { created: true, firmId: firm.id };
  });
}
