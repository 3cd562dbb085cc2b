import { cleanTypography, foldText } from './fold.js';

/** What matching needs to know about one title, from either side. */
export interface TitleForms {
  /** Main title: no subtitle, series suffix, edition note or leading article. */
  main: string;
  /** Main title plus a subtitle that says something about the work (not series or edition noise). */
  full: string;
  /** That subtitle alone, normalised; '' when there is none. */
  subtitle: string;
  /** Series name and number written into the title (`Dune (Dune, #1)`, `Leviathan Wakes (Expanse, Book 1)`). */
  seriesHint: { title: string; sequence: string } | null;
  /** Every series named in the suffix (`Mort (Discworld, #4; Death, #1)` names two). */
  seriesHints: { title: string; sequence: string }[];
  /** True when the only sign of an omnibus is a range in the series suffix (`1Q84 (1Q84, #1-3)`). */
  omnibusByHintOnly: boolean;
  /** Volume numbers in the main title (`One Piece, Vol. 2` -> ['2']); digits, Roman numerals, number words. */
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
  /^(?:un)?abridged(?: edition)?$|^(?:an? )?(?:audible |audio ?book |kindle |special |deluxe |anniversary |collector'?s |revised |expanded |illustrated |annotated |new |\d+(?:st|nd|rd|th) anniversary )*(?:edition|version|original)$|^ungek(?:u|ue)rzt$|^gek(?:u|ue)rzt$|^unabridged selections?$|^audible original$|^includes? .*$/i;

// "A Novel", "A Jack Reacher Thriller", "Book 1 of the Expanse", "The Expanse, Book 1", "Vol. 2".
const SERIES_OR_GENRE_NOTE =
  /^(?:an? |the )?(?:[\p{L}\p{N}'.&-]+ ){0,5}(?:novel|novella|thriller|mystery|romance|memoir|story|short story|novelette|saga novel)$|(?:^|[\s,#])(?:book|books|bk|vol|volume|volumes|part|episode|novella|tome|band|teil|folge|no|number|series|sequence|day|season)\.?\s*(?:#\s*)?(?:\d+(?:[.,]\d+)?|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|#\s*\d/iu;

const DERIVATIVE_PATTERNS: [string, RegExp][] = [
  ['summary', /\b(?:summary|summaries|study guide|analysis of|sparknotes|cliffs ?notes|book notes|key takeaways|workbook|quiz ?book|trivia)\b/],
  ['graphic', /\b(?:graphic (?:novel|history|adaptation|edition)|comic|manga adaptation|illustrated adaptation)\b/],
  ['dramatised', /\b(?:dramati[sz]ed|dramati[sz]ation|radio (?:drama|play|adaptation)|full[- ]cast|audio drama|bbc radio|adaptation)\b/],
  ['companion', /\b(?:companion|encyclopa?edia|the art of|the making of|the world of|the science of|the unofficial|official guide|behind the scenes|a reader'?s guide|coloring book|colouring book|cookbook|concordance|atlas of)\b/],
  ['screenplay', /\b(?:screenplay|the script|shooting script|stage play|the play)\b/],
];

// Several books in one. Strong signs count anywhere; "Trilogy" or "Collection" only in the main
// title, because Audible subtitles say "Book One in the Lord of the Rings Trilogy".
const OMNIBUS_STRONG =
  /\b(?:omnibus|box(?:ed)? ?set|boxset|bundle|complete (?:series|saga|trilogy|collection|novels)|(?:books?|volumes?|vols?\.?|#)\s*\d+\s*(?:-|to|and|&|through)\s*\d+|\d+[- ]book (?:set|collection|bundle)|\d+ books in \d+)\b/i;
const OMNIBUS_WEAK = /\b(?:trilogy|quartet|tetralogy|quintet|collection|the complete|novels)\b/i;

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12',
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', seventh: '7', eighth: '8', ninth: '9', tenth: '10',
};
const ROMAN: Record<string, string> = { ii: '2', iii: '3', iv: '4', vi: '6', vii: '7', viii: '8', ix: '9', xi: '11', xii: '12', xiii: '13', xiv: '14', xv: '15' };
const VOLUME_WORD = /^(?:book|vol|volume|part|episode|tome|band|teil|no|number|chapter|season)$/;

// Trailing "(Series, #1)", "(Series #0.3)", "(Series, #1-2)", "(Series, Book 1)", "[Series 2]".
const SERIES_SUFFIX =
  /\s*[([]\s*([^()[\]]*?)\s*,?\s*(?:#|\b(?:book|bk|vol\.?|volume|part|no\.?)\s*#?)\s*(\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?|[ivxlc]+)\s*[)\]]\s*$/i;

// One "Series, #n" part of a suffix group.
const SERIES_PART = /^(.*?)\s*,?\s*(?:#|\b(?:book|bk|vol\.?|volume|part|no\.?)\s*#?)\s*(\d+(?:[.,]\d+)?(?:\s*-\s*\d+(?:[.,]\d+)?)?|[ivxlc]+)$/i;

const MAY_HOLD_NUMBER = /\d|\b(?:[ivx]{2,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b/;

function numbersIn(folded: string): string[] {
  if (!MAY_HOLD_NUMBER.test(folded)) return [];
  const words = folded.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const afterVolumeWord = i > 0 && VOLUME_WORD.test(words[i - 1]!);
    if (/^\d+$/.test(w)) out.push(String(Number(w)));
    else if (ROMAN[w] && (afterVolumeWord || i === words.length - 1)) out.push(ROMAN[w]);
    else if (NUMBER_WORDS[w] && afterVolumeWord) out.push(NUMBER_WORDS[w]);
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
  let title = cleanTypography(rawTitle);
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
  // Bracketed parts anywhere: edition notes, series notes or a parenthesised subtitle.
  if (/[([]/.test(title)) {
    title = title.replace(/\s*[([]([^()[\]]*)[)\]]/g, (_m, inner: string) => {
      notes.push(inner.trim());
      return ' ';
    });
    title = title.replace(/\s+/g, ' ').trim();
  }

  // Subtitle after a colon, or after a spaced dash ("Title - Subtitle"), never a hyphen in a word.
  // "The Hobbit, or There and Back Again", "Frankenstein; or, The Modern Prometheus": an alternative title.
  const split = /[:;,-]/.test(title) ? (title.match(/^(.+?)(?:[,;:]\s+or,?\s+|\s+or,\s+)(.*)$/i) ?? title.match(/^(.+?)(?:\s*:\s+|\s*:$|\s+-\s+|\s*;\s+)(.*)$/)) : null;
  let main = title;
  if (split && split[1]!.trim()) {
    main = split[1]!.trim();
    if (split[2]!.trim()) notes.push(split[2]!.trim());
  }
  if (rawSubtitle?.trim()) notes.push(cleanTypography(rawSubtitle));

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
    if (EDITION_NOTE.test(note.trim()) || EDITION_NOTE.test(folded)) continue;
    if (derivativeMarkers(folded).length === 0) {
      if (SERIES_OR_GENRE_NOTE.test(note)) continue;
      // Audible puts the series name in the subtitle ("Wayward Pines"); it is not part of the work's title.
      const bare = stripArticle(folded);
      if (knownSeries.some((series) => bare === series || bare.startsWith(`${series} `))) continue;
    }
    if (folded) subtitleParts.push(americanise(stripArticle(folded.replace(/^or /, ''))));
  }
  const omnibusByHintOnly = hintRange && !omnibus && !omnibusBeforeNotes;
  omnibus ||= hintRange;
  // "Dune Unabridged" or "Dune, Unabridged" without brackets.
  const foldedMain = foldText(main);
  const mainFolded = americanise(stripArticle(foldedMain.replace(/\s+(?:un)?abridged$/, '')) || foldedMain);
  const subtitle = subtitleParts.join(' ');
  // Derivative markers may sit anywhere: main title, subtitle, or a bracketed note.
  const everything = notes.length || seriesHints.length ? [foldedMain, ...foldedNotes, ...seriesHints.map((h) => foldText(h.title))].join(' ') : foldedMain;
  return {
    main: mainFolded,
    full: subtitle ? `${mainFolded} ${subtitle}` : mainFolded,
    subtitle,
    seriesHint,
    seriesHints,
    omnibusByHintOnly,
    numbers: numbersIn(mainFolded),
    omnibus,
    derivative: derivativeMarkers(everything),
  };
}
