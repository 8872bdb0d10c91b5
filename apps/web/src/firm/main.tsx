import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n/i18n';
import { FirmApp } from './app/firm-app';
import { firmEn } from './i18n/en';
import { firmFr } from './i18n/fr';
import '../styles/base.css';

initI18n({ fr: { firm: firmFr }, en: { firm: firmEn } });

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from firm.html');
createRoot(container).render(
  <StrictMode>
    <FirmApp />
  </StrictMode>,
);
