/**
 * Cheermotes in a cheer's text. Twitch writes the bits into the message as words such as
 * `Cheer100` or `BibleThump50` (a prefix ending in a letter, then the amount), and the `bits`
 * tag carries their sum. Channels can add their own prefixes, so a fixed list is not enough:
 * when the candidate words add up to exactly the `bits` tag, every one of them is a cheermote;
 * otherwise only words with one of Twitch's global prefixes are (so "mp3" or "win10" in an
 * ordinary sentence survive).
 */

/** Twitch's global cheermote prefixes (lower case), as shown in every channel. */
const GLOBAL_PREFIXES = new Set(
  [
    'cheer',
    'doodlecheer',
    'biblethump',
    'cheerwhal',
    'corgo',
    'uni',
    'showlove',
    'party',
    'seemsgood',
    'pride',
    'kappa',
    'frankerz',
    'heyguys',
    'dansgame',
    'elegiggle',
    'trihard',
    'kreygasm',
    '4head',
    'swiftrage',
    'notlikethis',
    'failfish',
    'vohiyo',
    'pjsalt',
    'mrdestructoid',
    'bday',
    'ripcheer',
    'shamrock',
    'bitboss',
    'streamlabs',
    'muxy',
    'holidaycheer',
    'goal',
    'anon',
    'charity',
  ].map((p) => p.toLowerCase()),
);

const CANDIDATE = /^(\S*[A-Za-z])(\d{1,7})$/;

/** The text that remains once the cheermotes are taken out (whitespace collapsed, trimmed). */
export function stripCheermotes(text: string, bits: number): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const candidates = words.map((w) => CANDIDATE.exec(w));
  const sum = candidates.reduce((acc, m) => acc + (m ? Number(m[2]) : 0), 0);
  const allAreCheers = sum === bits && sum > 0;
  return words
    .filter((_, i) => {
      const m = candidates[i];
      if (!m || Number(m[2]) === 0) return true;
      return !(allAreCheers || GLOBAL_PREFIXES.has(m[1]!.toLowerCase()));
    })
    .join(' ');
}
