import { cleanTypography, foldText } from './fold.js';
import { canonicalNumbers, spellFractions } from './numbers.js';

/** What matching needs to know about one title, from either side. */
export interface TitleForms {
  /** Main title: no subtitle, series suffix, edition note or leading article. */
  main: string;
  /** Main title plus a subtitle that says something about the work (not series or edition noise). */
  full: string;
  /** That subtitle alone, normalised; '' when there is none. */
  subtitle: string;
  /**
   * Other forms of the main title the tracker gives: a romanisation in square brackets after a
   * title in another script (`Мастер и Маргарита [Master i Margarita]`). Compared as titles, not subtitles.
   */
  alternates: string[];
  /** Series name and number written into the title (`Dune (Dune, #1)`, `Leviathan Wakes (Expanse, Book 1)`). */
  seriesHint: { title: string; sequence: string } | null;
  /** Every series named in the suffix (`Mort (Discworld, #4; Death, #1)` names two). */
  seriesHints: { title: string; sequence: string }[];
  /** True when the only sign of an omnibus is a range in the series suffix (`1Q84 (1Q84, #1-3)`). */
  omnibusByHintOnly: boolean;
  /** Numbers in the main title, as digits (`One Piece, Vol. 2` -> ['2'], `Twenty-Two` -> ['22']); ordinals and halves included. */
  numbers: string[];
  /** Several books in one: box set, omnibus, `Books 1-3`, a `#1-3` series suffix. */
  omnibus: boolean;
  /** Markers of a work about or derived from another (summary, graphic novel, companion, dramatisation). */
  derivative: string[];
}

const LEADING_ARTICLE = /^(?:the|a|an)\s+/;
// "Hobbit, The" as library catalogues write it.
const TRAILING_ARTICLE = /,\s*(the|a|an)$/i;

// Edition notes that say nothing about which work it is.
const EDITION_NOTE =
  /^(?:un)?abridged(?: edition)?$|^(?:an? )?(?:audible |audio ?book |kindle |special |deluxe |anniversary |collector'?s |revised |expanded |illustrated |annotated |new |\d+(?:st|nd|rd|th) anniversary )*(?:edition|version|original)$|^ungek(?:u|ue)rzt$|^gek(?:u|ue)rzt$|^unabridged selections?$|^audible original$|^includes? .*$|^(?:an? |the )?full[- ]cast (?:production|recording|performance|edition|reading)$/i;

// "A Novel", "A Jack Reacher Thriller", "Book 1 of the Expanse", "The Expanse, Book 1", "Vol. 2".
const SERIES_OR_GENRE_NOTE =
  /^(?:an? |the )?(?:[\p{L}\p{N}'.&-]+ ){0,5}(?:novel|novella|thriller|mystery|romance|memoir|story|short story|novelette|saga novel)$|(?:^|[\s,#])(?:book|books|bk|vol|volume|volumes|part|episode|novella|tome|band|teil|folge|no|number|series|sequence|day|season)\.?\s*(?:#\s*)?(?:\d+(?:[.,]\d+)?|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|#\s*\d/iu;

const DERIVATIVE_PATTERNS: [string, RegExp][] = [
  ['summary', /\b(?:summary|summaries|study guide|analysis of|sparknotes|cliffs ?notes|book notes|key takeaways|workbook|quiz ?book|trivia)\b/],
  ['graphic', /\b(?:graphic (?:novel|history|adaptation|edition)|comic|manga adaptation|illustrated adaptation)\b/],
  // A full cast alone reads the book with many voices (a "Full Cast Production" is unabridged); a dramatisation rewrites it.
  ['dramatised', /\b(?:dramati[sz]ed|dramati[sz]ation|radio (?:drama|play|adaptation)|audio drama|bbc radio|adaptation)\b/],
  ['companion', /\b(?:companion|encyclopa?edia|the art of|the making of|the world of|the science of|the unofficial|official guide|behind the scenes|a reader'?s guide|coloring book|colouring book|cookbook|concordance|atlas of)\b/],
  ['screenplay', /\b(?:screenplay|the script|shooting script|stage play|the play)\b/],
];

// Several books in one. Strong signs count anywhere; "Trilogy" or "Collection" only in the main
// title, because Audible subtitles say "Book One in the Lord of the Rings Trilogy".
const OMNIBUS_STRONG =
  /\b(?:omnibus|box(?:ed)? ?set|boxset|bundle|complete (?:series|saga|trilogy|collection|novels)|(?:books?|volumes?|vols?\.?|#)\s*\d+\s*(?:-|to|and|&|through)\s*\d+|\d+[- ]book (?:set|collection|bundle)|\d+ books in \d+)\b/i;
const PACKAGING = /\s+(?:box(?:ed)? ?set|boxset|bundle|omnibus(?: edition)?)$/;
const OMNIBUS_WEAK = /\b(?:trilogy|quartet|tetralogy|quintet|collection|the complete|novels)\b/i;

// Trailing "(Series, #1)", "(Series #0.3)", "(Series, #1-2)", "(Series, Book 1)", "[Series 2]".
const SERIES_SUFFIX =
  /\s*[([]\s*([^()[\]]*?)\s*,?\s*(?:#|\b(?:book|bk|vol\.?|volume|part|no\.?)\s*#?)\s*(\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?|[ivxlc]+)\s*[)\]]\s*$/i;

// One "Series, #n" part of a suffix group.
const SERIES_PART = /^(.*?)\s*,?\s*(?:#|\b(?:book|bk|vol\.?|volume|part|no\.?)\s*#?)\s*(\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?|[ivxlc]+)$/i;

const NUMBER_TOKEN = /^(\d+(?:\.\d+)?)(?:st|nd|rd|th)?$/;

/** Numbers of a title whose number words are already digits (`canonicalNumbers`). */
function numbersIn(canonical: string): string[] {
  if (!/\d/.test(canonical)) return [];
  const out: string[] = [];
  for (const w of canonical.split(' ')) {
    const m = NUMBER_TOKEN.exec(w);
    if (m) out.push(String(Number(m[1])));
  }
  return out;
}

// One cheap test first: almost no title is derivative, and five regexes per title add up at 60,000 titles.
const DERIVATIVE_ANY = new RegExp(DERIVATIVE_PATTERNS.map(([, re]) => re.source).join('|'));

function derivativeMarkers(folded: string): string[] {
  if (!DERIVATIVE_ANY.test(folded)) return [];
  return DERIVATIVE_PATTERNS.filter(([, re]) => re.test(folded)).map(([name]) => name);
}

// British and American editions spell a few title words differently (The Colour of Magic).
const UK_US: Record<string, string> = {
  colour: 'color', colours: 'colors', honour: 'honor', favour: 'favor', armour: 'armor', harbour: 'harbor', humour: 'humor',
  labour: 'labor', neighbour: 'neighbor', rumour: 'rumor', rumours: 'rumors', valour: 'valor', behaviour: 'behavior', flavour: 'flavor',
  splendour: 'splendor', vigour: 'vigor', centre: 'center', theatre: 'theater', defence: 'defense', offence: 'offense',
  licence: 'license', grey: 'gray', travellers: 'travelers', traveller: 'traveler', jewellery: 'jewelry', programme: 'program',
  catalogue: 'catalog', dialogue: 'dialog', mum: 'mom', sceptic: 'skeptic', realise: 'realize', organise: 'organize',
};
const UK_WORD = new RegExp(`\\b(?:${Object.keys(UK_US).join('|')})\\b`, 'g');
function americanise(folded: string): string {
  return folded.replace(UK_WORD, (w) => UK_US[w]!);
}

const LATIN_LETTER = /\p{Script=Latin}/u;
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

/**
 * Edition notes say nothing about the work: "Unabridged", "30th Anniversary Edition", "A Full Cast
 * Production", or several of them ("The Anniversary Edition: A Full Cast Production").
 */
function isEditionNote(note: string, folded: string): boolean {
  if (EDITION_NOTE.test(note.trim()) || EDITION_NOTE.test(folded)) return true;
  return note.split(/\s*[:;]\s+|\s+-\s+/).every((part) => {
    const one = canonicalNumbers(foldText(part)).replace(/^the /, '');
    return one !== '' && EDITION_NOTE.test(one);
  });
}

function stripArticle(folded: string): string {
  const stripped = folded.replace(LEADING_ARTICLE, '');
  // A title that is only an article ("A") keeps it rather than becoming empty.
  return stripped || folded;
}

/**
 * Normalises a title as either side writes it. `subtitle` is Audible's separate subtitle field;
 * tracker titles carry theirs after a colon or in parentheses.
 */
export function normaliseTitle(rawTitle: string, rawSubtitle?: string | null, options: { seriesTitles?: readonly string[] } = {}): TitleForms {
  let title = cleanTypography(spellFractions(rawTitle));
  const trailingArticle = title.match(TRAILING_ARTICLE)?.[1];
  if (trailingArticle) title = `${trailingArticle} ${title.replace(TRAILING_ARTICLE, '')}`;

  const seriesHints: TitleForms['seriesHints'] = [];
  // Only the last bracketed group can be the suffix; matching from there avoids a scan from every position.
  const open = /[)\]]\s*$/.test(title) ? Math.max(title.lastIndexOf('('), title.lastIndexOf('[')) : -1;
  const suffix = open > 0 ? title.slice(open).match(SERIES_SUFFIX) : null;
  if (suffix) suffix.index = open + suffix.index!;
  if (suffix && suffix.index! > 0) {
    const inner = suffix[0].trim().slice(1, -1);
    for (const part of inner.split(/\s*;\s*/)) {
      const one = part.match(SERIES_PART);
      if (one) seriesHints.push({ title: one[1]!.replace(/[,\s]+$/, '').trim(), sequence: one[2]!.replace(/\s+/g, '') });
    }
    title = title.slice(0, suffix.index).trim();
  }
  const seriesHint = seriesHints[0] ?? null;

  const notes: string[] = [];
  const squareNotes: string[] = [];
  // Bracketed parts anywhere: edition notes, series notes or a parenthesised subtitle.
  if (/[([]/.test(title)) {
    title = title.replace(/\s*([([])([^()[\]]*)[)\]]/g, (_m, bracket: string, inner: string) => {
      (bracket === '[' ? squareNotes : notes).push(inner.trim());
      return ' ';
    });
    title = title.replace(/\s+/g, ' ').trim();
  }
  // "Мастер и Маргарита [Master i Margarita]": a romanisation of a title in another script is the same
  // title, not a subtitle. Any other square-bracketed part is a note like the parenthesised ones.
  const alternates: string[] = [];
  const otherScript = !LATIN_LETTER.test(title) && /\p{L}/u.test(title);
  for (const note of squareNotes) {
    if (otherScript && LATIN_LETTER.test(note) && !NON_LATIN_LETTER.test(note)) alternates.push(note);
    else notes.push(note);
  }

  // Subtitle after a colon, or after a spaced dash ("Title - Subtitle"), never a hyphen in a word.
  // "The Hobbit, or There and Back Again", "Frankenstein; or, The Modern Prometheus": an alternative title.
  const split = /[:;,-]/.test(title) ? (title.match(/^(.+?)(?:[,;:]\s+or,?\s+|\s+or,\s+)(.*)$/i) ?? title.match(/^(.+?)(?:\s*:\s+|\s*:$|\s+-\s+|\s*;\s+)(.*)$/)) : null;
  let main = title;
  if (split && split[1]!.trim()) {
    main = split[1]!.trim();
    if (split[2]!.trim()) notes.push(split[2]!.trim());
  }
  if (rawSubtitle?.trim()) notes.push(cleanTypography(spellFractions(rawSubtitle)));

  const subtitleParts: string[] = [];
  const hintRange = seriesHints.some((h) => /\d\s*-\s*\d/.test(h.sequence));
  let omnibus = OMNIBUS_STRONG.test(main) || OMNIBUS_WEAK.test(main);
  const omnibusBeforeNotes = omnibus;
  const knownSeries = (options.seriesTitles ?? []).map((t) => stripArticle(foldText(t)).replace(/ series$/, '')).filter(Boolean);
  const foldedNotes: string[] = [];
  for (const note of notes) {
    if (!note) continue;
    const folded = foldText(note);
    foldedNotes.push(folded);
    if (OMNIBUS_STRONG.test(note)) omnibus = true;
    if (isEditionNote(note, folded)) continue;
    if (derivativeMarkers(folded).length === 0) {
      if (SERIES_OR_GENRE_NOTE.test(note)) continue;
      // Audible puts the series name in the subtitle ("Wayward Pines"); it is not part of the work's title.
      const bare = stripArticle(folded);
      if (knownSeries.some((series) => bare === series || bare.startsWith(`${series} `))) continue;
    }
    if (folded) subtitleParts.push(canonicalNumbers(americanise(stripArticle(folded.replace(/^or /, '')))));
  }
  const omnibusByHintOnly = hintRange && !omnibus && !omnibusBeforeNotes;
  omnibus ||= hintRange;
  // "Dune Unabridged" or "Dune, Unabridged" without brackets; "The Farseer Trilogy Box Set" is the trilogy
  // (the omnibus flag keeps what the packaging said).
  const foldedMain = foldText(main);
  const mainFolded = canonicalNumbers(americanise(stripArticle(foldedMain.replace(/\s+(?:un)?abridged$/, '').replace(PACKAGING, '')) || foldedMain));
  const subtitle = subtitleParts.join(' ');
  // Derivative markers may sit anywhere: main title, subtitle, or a bracketed note.
  const everything = notes.length || seriesHints.length ? [foldedMain, ...foldedNotes, ...seriesHints.map((h) => foldText(h.title))].join(' ') : foldedMain;
  return {
    main: mainFolded,
    full: subtitle ? `${mainFolded} ${subtitle}` : mainFolded,
    subtitle,
    alternates: alternates.map((a) => canonicalNumbers(americanise(stripArticle(foldText(a))))).filter(Boolean),
    seriesHint,
    seriesHints,
    omnibusByHintOnly,
    numbers: numbersIn(mainFolded),
    omnibus,
    derivative: derivativeMarkers(everything),
  };
}
