// The sign-out came from Passerelle with a valid id_token_hint: confirm it without a click.
// Without JavaScript the person sees the same form and its button.
document.getElementById('logout-confirm')?.click();
