import { describe, expect, it } from 'vitest';
import { decodeBytes, EncodingSniffer, highByteTable } from '../src/decode.ts';
import type { FecEncoding } from '../src/types.ts';
import { encodeText } from './support/fec-builder.ts';

const HIGH_BYTES = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));

function detect(bytes: Buffer, chunkSize = 7, hasBom = false): FecEncoding {
  const sniffer = new EncodingSniffer();
  for (let position = 0; position < bytes.length; position += chunkSize) {
    sniffer.observe(bytes.subarray(position, position + chunkSize));
  }
  return sniffer.detect(hasBom);
}

const FRENCH = 'Écriture de régularisation : reçu n° 12, dépôt à la Société Générale, hôtel, maïs, où, Noël';

describe('decoding tables', () => {
  it('windows-1252 has its typographic characters in 0x80..0x9F and Latin-1 above', () => {
    // Node's own TextDecoder reads windows-1252 as Latin-1, hence the table written out here.
    const c1Range = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const latin1Upper = HIGH_BYTES.subarray(32).toString('latin1');
    expect(decodeBytes(HIGH_BYTES, 'windows-1252')).toBe(c1Range + latin1Upper);
  });

  it('iso-8859-15 agrees with the WHATWG decoder on every byte', () => {
    expect(decodeBytes(HIGH_BYTES, 'iso-8859-15')).toBe(new TextDecoder('iso-8859-15').decode(HIGH_BYTES));
    expect(decodeBytes(Buffer.from([0xa4, 0xbd]), 'iso-8859-15')).toBe('€œ');
  });

  it('cp850 maps the French letters where DOS put them', () => {
    const cp850 = (byte: number) => decodeBytes(Buffer.from([byte]), 'cp850');
    expect([0x82, 0x8a, 0x85, 0x87, 0x88, 0x93, 0x97, 0x90, 0xb7, 0xd4, 0xf8].map(cp850).join('')).toBe(
      'éèàçêôùÉÀÈ°',
    );
    expect(new Set(highByteTable('cp850')).size).toBe(128);
  });

  it('decodes ASCII the same in every encoding', () => {
    const ascii = Buffer.from('JournalCode\tCompteNum 411000 |;,', 'latin1');
    for (const encoding of ['utf-8', 'windows-1252', 'iso-8859-15', 'cp850'] as const) {
      expect(decodeBytes(ascii, encoding)).toBe('JournalCode\tCompteNum 411000 |;,');
    }
  });
});

describe('EncodingSniffer', () => {
  it('says UTF-8 for valid UTF-8, even when chunks cut characters in half', () => {
    const bytes = Buffer.from(`${FRENCH} €’œ`, 'utf8');
    for (const size of [1, 2, 3, 5, 64]) expect(detect(bytes, size)).toBe('utf-8');
  });

  it('says UTF-8 for pure ASCII and when a BOM is present', () => {
    expect(detect(Buffer.from('JournalCode\tJournalLib\n'))).toBe('utf-8');
    expect(detect(Buffer.from('caf\xe9', 'latin1'), 7, true)).toBe('utf-8');
  });

  it('recognises Windows-1252 French text', () => {
    expect(detect(encodeText(`${FRENCH} – l’été`, 'windows-1252'))).toBe('windows-1252');
  });

  it('recognises ISO-8859-15 by its euro sign and œ', () => {
    expect(detect(encodeText(`${FRENCH} 12 € cœur`, 'iso-8859-15'))).toBe('iso-8859-15');
  });

  it('recognises CP850 (DOS) French text', () => {
    expect(detect(encodeText(FRENCH, 'cp850'))).toBe('cp850');
  });

  it('reports a UTF-8 sequence cut by the end of the file as not UTF-8', () => {
    expect(detect(Buffer.from([0x61, 0xc3]))).not.toBe('utf-8');
  });

  it('decodes single-byte files back to the original text', () => {
    for (const encoding of ['windows-1252', 'iso-8859-15', 'cp850'] as const) {
      const bytes = encodeText(FRENCH, encoding);
      expect(decodeBytes(bytes, detect(bytes))).toBe(FRENCH);
    }
  });
});
