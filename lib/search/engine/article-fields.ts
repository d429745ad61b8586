// The per-article fields an index is made from (date, body length, title and
// the facets' values), read one field at a time: from an array of articles,
// or from the columns a lean index keeps for its live changes.
//
// A lean index (SEARCH_BACKEND=postgres) holds no article, but each live
// change makes a new index over the same articles, and that needs every kept
// article's date and body length and the facet values of those it drops. As
// one object per article that was 72 MB of a lean server at a million
// articles; as columns of small integers over shared strings it is ~16 MB.
import type { ArticleMeta } from "@/lib/search/formats/article-record";

/** One article's fields, as the index's constructor reads them. */
export interface ArticleFields {
  readonly length: number;
  /** The date, "" for none (an empty date and none are one to every reader). */
  date(doc: number): string;
  /** The body's length in characters, when known without the body. */
  bodyChars(doc: number): number | undefined;
  /** The title as written ("" when the titles are kept elsewhere: a lean load's are packed). */
  title(doc: number): string;
  authors(doc: number): string[];
  source(doc: number): string | null;
  docType(doc: number): string | null;
  issuer(doc: number): string | null;
  docNumber(doc: number): string | null;
}

/** The fields of an index's articles, whatever holds them. */
export function fieldsOf(articles: ArrayLike<ArticleMeta> | MetaColumns): ArticleFields {
  return articles instanceof MetaColumns ? articles : fieldsOfArray(articles);
}

/** The fields of an array of articles (a build, a folder's catalog). */
export function fieldsOfArray(articles: ArrayLike<ArticleMeta>): ArticleFields {
  return {
    length: articles.length,
    date: (doc) => articles[doc].date ?? "",
    bodyChars: (doc) => articles[doc].bodyChars,
    title: (doc) => articles[doc].title,
    authors: (doc) => articles[doc].authors,
    source: (doc) => articles[doc].source,
    docType: (doc) => articles[doc].docType ?? null,
    issuer: (doc) => articles[doc].issuer ?? null,
    docNumber: (doc) => articles[doc].docNumber ?? null,
  };
}

/** Each distinct value once, numbered from 1 (0 is none). */
class Interned<T> {
  readonly values: Array<T | null> = [null];
  private readonly ids = new Map<string, number>();
  /** The id of `key`'s value, made by `make` the first time. */
  id(key: string, make: (key: string) => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(make(key));
    }
    return id;
  }
}

/** The 公文 fields: few articles have them, so they are kept by article, not in columns. */
interface OfficialFields {
  docType: string | null;
  issuer: string | null;
  docNumber: string | null;
}

interface ColumnsParts {
  length: number;
  dateId: Uint32Array;
  dates: Array<string | null>;
  sourceId: Uint32Array;
  sources: Array<string | null>;
  authorsId: Uint32Array;
  authorLists: Array<string[] | null>;
  chars: Uint32Array;
  official: Map<number, OfficialFields>;
  titles: Map<number, string>;
}

/**
 * A lean index's articles as columns: a date, author list and source id per
 * article (each distinct value one string), the body's length, and the 公文
 * fields of the articles that have them. Titles are not kept here (a lean
 * load packs them; a live segment's added articles carry theirs).
 */
export class MetaColumns implements ArticleFields {
  readonly length: number;

  constructor(private readonly c: ColumnsParts) {
    this.length = c.length;
  }

  /** Columns filled one article at a time, in document order (a lean load streaming its rows). */
  static builder(n: number): MetaColumnsBuilder {
    return new MetaColumnsBuilder(n);
  }

  date(doc: number): string {
    return this.c.dates[this.c.dateId[doc]] ?? "";
  }
  bodyChars(doc: number): number {
    return this.c.chars[doc];
  }
  title(doc: number): string {
    return this.c.titles.get(doc) ?? "";
  }
  authors(doc: number): string[] {
    return this.c.authorLists[this.c.authorsId[doc]] ?? NO_AUTHORS;
  }
  source(doc: number): string | null {
    return this.c.sources[this.c.sourceId[doc]];
  }
  docType(doc: number): string | null {
    return this.c.official.get(doc)?.docType ?? null;
  }
  issuer(doc: number): string | null {
    return this.c.official.get(doc)?.issuer ?? null;
  }
  docNumber(doc: number): string | null {
    return this.c.official.get(doc)?.docNumber ?? null;
  }

  /**
   * A live segment's columns: each kept article's (remap: its number there,
   * −1 for gone) at its new place, and the added articles at theirs.
   */
  spliced(n: number, remap: Int32Array, added: ReadonlyArray<{ doc: number; meta: ArticleMeta }>): MetaColumns {
    const c = this.c;
    const dateId = new Uint32Array(n);
    const sourceId = new Uint32Array(n);
    const authorsId = new Uint32Array(n);
    const chars = new Uint32Array(n);
    const official = new Map<number, OfficialFields>();
    for (let old = 0; old < remap.length; old++) {
      const to = remap[old];
      if (to < 0) continue;
      dateId[to] = c.dateId[old];
      sourceId[to] = c.sourceId[old];
      authorsId[to] = c.authorsId[old];
      chars[to] = c.chars[old];
    }
    for (const [old, fields] of c.official) if (remap[old] >= 0) official.set(remap[old], fields);
    // The added articles' values go after the base's (their ids are their own; no answer depends on ids).
    const dates = c.dates.slice();
    const sources = c.sources.slice();
    const authorLists = c.authorLists.slice();
    const titles = new Map<number, string>();
    for (const { doc, meta } of added) {
      dateId[doc] = meta.date ? dates.push(meta.date) - 1 : 0;
      sourceId[doc] = meta.source ? sources.push(meta.source) - 1 : 0;
      authorsId[doc] = authorLists.push(meta.authors) - 1;
      chars[doc] = meta.bodyChars ?? 0;
      const o = officialOf(meta);
      if (o) official.set(doc, o);
      titles.set(doc, meta.title);
    }
    return new MetaColumns({ length: n, dateId, dates, sourceId, sources, authorsId, authorLists, chars, official, titles });
  }
}

const NO_AUTHORS: string[] = [];
const same = (s: string) => s;

function officialOf(m: { docType?: string | null; issuer?: string | null; docNumber?: string | null }): OfficialFields | null {
  return m.docType || m.issuer || m.docNumber ? { docType: m.docType ?? null, issuer: m.issuer ?? null, docNumber: m.docNumber ?? null } : null;
}

export class MetaColumnsBuilder {
  private readonly n: number;
  private added = 0;
  private readonly dateId: Uint32Array;
  private readonly sourceId: Uint32Array;
  private readonly authorsId: Uint32Array;
  private readonly chars: Uint32Array;
  private readonly dates = new Interned<string>();
  private readonly sources = new Interned<string>();
  private readonly authorLists = new Interned<string[]>();
  /** Each distinct author once (lists of the same authors on other lines share them). */
  private readonly authorNames = new Map<string, string>();
  private readonly official = new Map<number, OfficialFields>();

  /** An author line's list (one line per author), each name one string. */
  private readonly authorList = (line: string): string[] => (line ? line.split("\n").map((a) => this.authorNames.get(a) ?? (this.authorNames.set(a, a), a)) : NO_AUTHORS);

  constructor(n: number) {
    this.n = n;
    this.dateId = new Uint32Array(n);
    this.sourceId = new Uint32Array(n);
    this.authorsId = new Uint32Array(n);
    this.chars = new Uint32Array(n);
  }

  /**
   * The next article's fields. `authorLine` is its authors one per line (""
   * for none), as the store keeps them.
   */
  add(f: { date: string | null; authorLine: string; source: string | null; bodyChars: number; docType?: string | null; issuer?: string | null; docNumber?: string | null }): void {
    const doc = this.added++;
    if (doc >= this.n) throw new Error(`search: more articles than the ${this.n} the columns were made for`);
    this.dateId[doc] = f.date === null ? 0 : this.dates.id(f.date, same);
    this.sourceId[doc] = f.source === null ? 0 : this.sources.id(f.source, same);
    this.authorsId[doc] = this.authorLists.id(f.authorLine, this.authorList);
    this.chars[doc] = f.bodyChars;
    const o = officialOf(f);
    if (o) this.official.set(doc, o);
  }

  done(): MetaColumns {
    if (this.added !== this.n) throw new Error(`search: ${this.added} articles of the ${this.n} the columns were made for`);
    return new MetaColumns({
      length: this.n,
      dateId: this.dateId,
      dates: this.dates.values,
      sourceId: this.sourceId,
      sources: this.sources.values,
      authorsId: this.authorsId,
      authorLists: this.authorLists.values,
      chars: this.chars,
      official: this.official,
      titles: new Map(),
    });
  }
}
