import { describe, expect, it } from 'vitest';
import { normaliseTitle } from './title.js';

describe('normaliseTitle', () => {
  it.each([
    ['Dune (Dune, #1)', null, 'dune', 'dune'],
    ['The Lord of the Rings', null, 'lord of the rings', 'lord of the rings'],
    ['Sapiens: A Brief History of Humankind', null, 'sapiens', 'sapiens brief history of humankind'],
    ['Sapiens', 'A Brief History of Humankind', 'sapiens', 'sapiens brief history of humankind'],
    ['The Hobbit, or There and Back Again', null, 'hobbit', 'hobbit there and back again'],
    ['Frankenstein', 'Or, The Modern Prometheus', 'frankenstein', 'frankenstein modern prometheus'],
    ['Moby-Dick or, The Whale', null, 'moby dick', 'moby dick whale'],
    ['The Colour of Magic', null, 'color of magic', 'color of magic'],
    ['The Martian: A Novel', null, 'martian', 'martian'],
    ['Project Hail Mary (Unabridged)', null, 'project hail mary', 'project hail mary'],
    ['Leviathan Wakes', 'The Expanse, Book 1', 'leviathan wakes', 'leviathan wakes'],
    ['The Fellowship of the Ring', 'Book One in the Lord of the Rings Trilogy', 'fellowship of the ring', 'fellowship of the ring'],
    ['Ender’s Game', null, 'enders game', 'enders game'],
    ["Ender's Game (Ender's Saga, #1)", null, 'enders game', 'enders game'],
    ['Les Misérables', null, 'les miserables', 'les miserables'],
    ['Hobbit, The', null, 'hobbit', 'hobbit'],
    ['Harry Potter & the Goblet of Fire', null, 'harry potter and the goblet of fire', 'harry potter and the goblet of fire'],
    ['Ｆｕｌｌ ｗｉｄｔｈ', null, 'full width', 'full width'],
    ['Killing Floor: A Jack Reacher Novel', null, 'killing floor', 'killing floor'],
    ['Catch-22', null, 'catch 22', 'catch 22'],
    ['Mort (Discworld, #4; Death, #1)', null, 'mort', 'mort'],
  ])('%s | %s -> main %s, full %s', (title, subtitle, main, full) => {
    const forms = normaliseTitle(title, subtitle);
    expect(forms.main).toBe(main);
    expect(forms.full).toBe(full);
  });

  it('keeps the Goodreads series suffix as a hint', () => {
    expect(normaliseTitle('Dune (Dune, #1)').seriesHint).toEqual({ title: 'Dune', sequence: '1' });
    expect(normaliseTitle('I, Robot (Robot #0.1)').seriesHint).toEqual({ title: 'Robot', sequence: '0.1' });
    expect(normaliseTitle('Hyperion Cantos (Hyperion Cantos, #1-2)').seriesHint).toEqual({ title: 'Hyperion Cantos', sequence: '1-2' });
    expect(normaliseTitle('Dune').seriesHint).toBeNull();
    expect(normaliseTitle('Mort (Discworld, #4; Death, #1)').seriesHints).toEqual([
      { title: 'Discworld', sequence: '4' },
      { title: 'Death', sequence: '1' },
    ]);
  });

  it('drops a subtitle naming a known series', () => {
    expect(normaliseTitle('Pines', 'Wayward Pines', { seriesTitles: ['The Wayward Pines Series'] }).full).toBe('pines');
    expect(normaliseTitle('Pines', 'Wayward Pines', { seriesTitles: ['Wayward Pines'] }).full).toBe('pines');
  });

  it('flags omnibus editions', () => {
    expect(normaliseTitle('The Expanse Box Set: Books 1-3').omnibus).toBe(true);
    expect(normaliseTitle('The Lord of the Rings (The Lord of the Rings, #1-3)').omnibus).toBe(true);
    expect(normaliseTitle('The Hunger Games Trilogy').omnibus).toBe(true);
    expect(normaliseTitle('The Fellowship of the Ring', 'Book One in the Lord of the Rings Trilogy').omnibus).toBe(false);
    expect(normaliseTitle('Dune (Dune, #1)').omnibus).toBe(false);
    // Only the suffix range says so: a whole work published under one name may still be one title.
    expect(normaliseTitle('1Q84 (1Q84, #1-3)')).toMatchObject({ omnibus: true, omnibusByHintOnly: true });
    expect(normaliseTitle('The Expanse Box Set (The Expanse, #1-3)')).toMatchObject({ omnibus: true, omnibusByHintOnly: false });
  });

  it('flags derivative works', () => {
    expect(normaliseTitle('Dune', 'The Graphic Novel, Book 1').derivative).toEqual(['graphic']);
    expect(normaliseTitle('Summary of Atomic Habits').derivative).toEqual(['summary']);
    expect(normaliseTitle('Sapiens: A Graphic History').derivative).toEqual(['graphic']);
    expect(normaliseTitle('Dune [Dramatized Adaptation]').derivative).toEqual(['dramatised']);
    expect(normaliseTitle('The Wheel of Time Companion').derivative).toEqual(['companion']);
    expect(normaliseTitle('Atomic Habits').derivative).toEqual([]);
  });

  it('collects volume numbers from digits, Roman numerals and number words', () => {
    // Every number counts, a name's too ("One Piece"): both sides read it alike, so only a real difference differs.
    expect(normaliseTitle('One Piece, Vol. 2').numbers).toEqual(['1', '2']);
    expect(normaliseTitle('Catch Twenty-Two').numbers).toEqual(normaliseTitle('Catch-22').numbers);
    expect(normaliseTitle('9½ Weeks').main).toBe(normaliseTitle('Nine and a Half Weeks').main);
    expect(normaliseTitle('Rocky II').numbers).toEqual(['2']);
    expect(normaliseTitle('Fahrenheit 451').numbers).toEqual(['451']);
    expect(normaliseTitle('Book Two of the Ancestors').numbers).toEqual(['2']);
    expect(normaliseTitle('I Am Legend').numbers).toEqual([]);
  });

  it('reads a romanisation in square brackets as another form of the title, not a subtitle', () => {
    const forms = normaliseTitle('Мастер и Маргарита [Master i Margarita]');
    expect(forms.subtitle).toBe('');
    expect(forms.alternates).toEqual(['master i margarita']);
    // After a Latin title a bracketed part stays a note.
    expect(normaliseTitle('Dracula [Dramatized Adaptation]').alternates).toEqual([]);
  });

  it('takes a full-cast production for an edition of the book, a dramatisation for a derivative', () => {
    expect(normaliseTitle('Anansi Boys', 'The Anniversary Edition: A Full Cast Production')).toMatchObject({ subtitle: '', derivative: [] });
    expect(normaliseTitle('The Graveyard Book', 'Full Cast Production')).toMatchObject({ subtitle: '', derivative: [] });
    expect(normaliseTitle('Foundation', 'The BBC Radio 4 Full-Cast Dramatisation').derivative).toEqual(['dramatised']);
  });
});
