import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/connection.ts';
import { type Capability, offers } from '../../db/schema/index.ts';

/**
 * The offer catalog is data. This is its shipped content, kept in sync at boot so a new
 * version can change wording or add an offer without a migration.
 */
export const shippedOffers: {
  code: string;
  label: string;
  description: string;
  capabilities: Capability[];
  excluded: string;
  position: number;
  free: boolean;
}[] = [
  {
    code: 'start',
    label: 'Start',
    description:
      "L'entrepreneur peut (gratuitement) consulter la GED, déposer des pièces et accéder au tableau de bord de l'application mobile.",
    capabilities: ['ged.read', 'pieces.deposit', 'dashboard.read'],
    excluded: "Pas d'accès à son dossier dans le logiciel de production du cabinet.",
    position: 1,
    free: true,
  },
];

export async function syncOfferCatalog(db: DbOrTx) {
  for (const offer of shippedOffers) {
    await db
      .insert(offers)
      .values(offer)
      .onConflictDoUpdate({
        target: offers.code,
        set: {
          label: sql`excluded.label`,
          description: sql`excluded.description`,
          capabilities: sql`excluded.capabilities`,
          excluded: sql`excluded.excluded`,
          position: sql`excluded.position`,
          free: sql`excluded.free`,
        },
      });
  }
}
