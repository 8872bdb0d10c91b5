import { expect, type Page, test } from '@playwright/test';
import { DEMO_ADMIN, signInAsStaff } from './support/staff.ts';

/**
 * The firm staff journey of the procedure ("Mettre en place l'offre collaborative Start"), in the
 * UI, by role and French label: activate Start on the file from Portefeuille, create the contact
 * in Clients > Interlocuteurs, link the file and propose the service, initialise the widget on
 * the file's dashboard, and read the access e-mail the contact receives.
 */

interface MailboxMessage {
  envelopeTo: string[];
  subject: string | null;
  text: string | null;
  links: string[];
}

async function signIn(page: Page) {
  await signInAsStaff(page, DEMO_ADMIN, '/');
  await expect(page).toHaveURL(/\/portefeuille$/);
}

async function createContact(
  page: Page,
  contact: { lastName: string; firstName: string; email: string; role: string },
) {
  await page.getByRole('main').getByRole('button', { name: 'Ajouter' }).first().click();
  const form = page.getByRole('dialog', { name: 'Nouvel interlocuteur' });
  await expect(form.getByRole('tab', { name: 'Général' })).toHaveAttribute('aria-selected', 'true');
  await form.getByRole('textbox', { name: 'Nom', exact: true }).fill(contact.lastName);
  await form.getByRole('textbox', { name: 'Prénom' }).fill(contact.firstName);
  await form.getByRole('textbox', { name: 'E-mail' }).fill(contact.email);
  await form.getByRole('combobox', { name: 'Rôle organisationnel' }).selectOption({ label: contact.role });
  await form.getByRole('button', { name: 'Ok' }).click();
  await expect(form).toBeHidden();
  await expect(
    page.getByRole('row', { name: new RegExp(contact.email.replaceAll('.', '\\.')) }),
  ).toBeVisible();
}

test('the firm activates Start, creates and links contacts, proposes the service, initialises the widget; the contact receives the access e-mail', async ({
  page,
}) => {
  const run = Date.now();
  const email = `jeanne.leroy.${run}@client-demo.test`;
  const secondEmail = `paul.garnier.${run}@client-demo.test`;

  await signIn(page);

  // 1/ Activer l'offre collaborative sur le dossier client (Portefeuille).
  await expect(page.getByRole('heading', { name: 'Portefeuille' })).toBeVisible();
  const garage = page.getByRole('row', { name: /Garage du Centre/ });
  await garage.getByRole('cell').first().click();
  await expect(garage).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Offre collaborative', exact: true }).click();
  const offerDialog = page.getByRole('dialog', { name: 'Offre collaborative' });
  const start = offerDialog.getByRole('radio', { name: 'Start' });
  const startTile = offerDialog.locator('label').filter({ has: page.getByRole('radio', { name: 'Start' }) });
  await expect(start).not.toBeChecked();
  await expect(startTile).toContainText('Consulter la GED');
  await expect(startTile).toContainText('Déposer des pièces');
  await expect(startTile).toContainText('Tableau de bord');
  await startTile.click();
  // The selected tile turns blue.
  await expect(start).toBeChecked();
  await expect(startTile).toHaveClass(/offer-tile--selected/);
  await expect(startTile).toHaveCSS('background-color', 'rgb(31, 78, 140)');
  await offerDialog.getByRole('button', { name: 'Valider' }).click();
  await expect(offerDialog).toBeHidden();
  await expect(garage.getByText('Start', { exact: true })).toBeVisible();

  // Prerequisite: the firm's organizational roles.
  await page.getByRole('link', { name: 'Rôles organisationnels' }).click();
  await expect(page.getByRole('heading', { name: 'Rôles organisationnels' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Dirigeant', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Gérant', exact: true })).toBeVisible();

  // 2/ Créer un interlocuteur client (Clients > Interlocuteurs > Ajouter > Général > Ok).
  await page.getByRole('link', { name: 'Interlocuteurs' }).click();
  await expect(page.getByRole('heading', { name: 'Interlocuteurs' })).toBeVisible();
  await createContact(page, { lastName: 'Leroy', firstName: 'Jeanne', email, role: 'Gérant' });
  await createContact(page, {
    lastName: 'Garnier',
    firstName: 'Paul',
    email: secondEmail,
    role: 'Dirigeant',
  });

  // 3/ Ajouter à l'interlocuteur le dossier, puis proposer le service collaboratif.
  await page
    .getByRole('row', { name: new RegExp(email.replaceAll('.', '\\.')) })
    .getByRole('cell')
    .first()
    .click();
  const panel = page.getByRole('complementary', { name: 'Jeanne Leroy' });
  await panel.getByRole('button', { name: 'Dossiers client', exact: true }).click();
  const filesTab = panel.getByRole('tab', { name: 'Dossiers clients' });
  await expect(filesTab).toHaveAttribute('aria-selected', 'true');
  const filesPanel = panel.getByRole('tabpanel', { name: 'Dossiers clients' });
  await filesPanel.getByRole('button', { name: 'Ajouter' }).click();
  const addFile = page.getByRole('dialog', { name: 'Ajouter un dossier client' });
  await addFile.getByRole('combobox', { name: 'Dossier client' }).fill('Garage');
  await addFile.getByRole('option', { name: /Garage du Centre/ }).click();
  await addFile.getByRole('button', { name: 'Valider' }).click();
  await expect(addFile).toBeHidden();
  const fileRow = filesPanel.getByRole('row', { name: /Garage du Centre/ });
  await expect(fileRow).toBeVisible();
  // "Limité à" stays at its default "-": the whole file.
  const limitedColumn = await filesPanel.getByRole('columnheader').allTextContents();
  await expect(fileRow.getByRole('cell').nth(limitedColumn.indexOf('Limité à'))).toHaveText('-');

  await fileRow.getByRole('cell').first().click();
  await expect(fileRow).toHaveAttribute('aria-selected', 'true');
  await filesPanel.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Proposer un service collaboratif pour ce dossier' }).click();
  const propose = page.getByRole('dialog', { name: 'Proposer un service collaboratif pour ce dossier' });
  const proposedStart = propose.getByRole('radio', { name: 'Start' });
  await propose
    .locator('label')
    .filter({ has: page.getByRole('radio', { name: 'Start' }) })
    .click();
  await expect(proposedStart).toBeChecked();
  await propose.getByRole('button', { name: 'Ok' }).click();
  await expect(propose).toBeHidden();
  await expect(panel.getByRole('status').filter({ hasText: 'Service proposé' })).toContainText(email);
  await expect(fileRow).toContainText('Start proposé');

  // From the portfolio: select the file, pick an existing contact, Valider.
  await page.getByRole('link', { name: 'Portefeuille', exact: true }).click();
  await page
    .getByRole('row', { name: /Garage du Centre/ })
    .getByRole('cell')
    .first()
    .click();
  await page.getByRole('button', { name: 'Interlocuteur', exact: true }).click();
  const linkContact = page.getByRole('dialog', { name: 'Interlocuteur du dossier' });
  await linkContact.getByRole('combobox', { name: 'Interlocuteur' }).fill('Garnier');
  await linkContact.getByRole('option', { name: /Garnier Paul/ }).click();
  await linkContact.getByRole('button', { name: 'Valider' }).click();
  await expect(linkContact).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Paul Garnier' })).toBeVisible();
  const contactsColumn = (await page.getByRole('columnheader').allTextContents()).indexOf('Interlocuteurs');
  await expect(
    page
      .getByRole('row', { name: /Garage du Centre/ })
      .getByRole('cell')
      .nth(contactsColumn),
  ).toHaveText('2');

  // 4/ Activer le widget de l'offre sur le tableau de bord du dossier.
  await page.getByRole('link', { name: 'Garage du Centre' }).click();
  await expect(page.getByRole('heading', { name: 'Garage du Centre', level: 1 })).toBeVisible();
  const widget = page.getByRole('region', { name: 'Offre collaborative' });
  await widget.getByRole('button', { name: 'Initialiser' }).click();
  const initialise = page.getByRole('dialog', { name: /Initialiser/ });
  await initialise.getByRole('checkbox', { name: /Activation de l’extension/ }).check();
  await initialise.getByRole('button', { name: 'Ok' }).click();
  await expect(initialise).toBeHidden();
  await expect(widget.getByRole('link', { name: 'Jeanne Leroy' })).toBeVisible();
  await expect(widget.getByRole('listitem').filter({ hasText: 'Jeanne Leroy' })).toContainText('Invité(e)');

  // The client receives an e-mail with the sign-in link and their identifier (their e-mail).
  let accessMail: MailboxMessage | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/mailbox?to=${encodeURIComponent(email)}`);
        if (!response.ok()) return false;
        const { messages } = (await response.json()) as { messages: MailboxMessage[] };
        accessMail = messages.find((message) =>
          message.links.some((link) => /\/espace(?:[/?#]|$)/.test(link)),
        );
        return accessMail !== undefined;
      },
      { timeout: 30_000, message: 'the access e-mail reaches the mailbox' },
    )
    .toBe(true);
  expect(accessMail?.envelopeTo).toContain(email);
  expect(accessMail?.text).toContain('/espace');
  expect(accessMail?.text).toContain(email);
});
