/**
 * The frontmatter of a new item. What curation could not find is written as a string
 * starting with "TODO:" that says what to fill in; the content build rejects any TODO, so
 * an item cannot be published until a person has filled it in.
 */
export interface ItemFacts {
  title?: string;
  slug?: string;
  summary?: string;
  author?: string;
  sourceName?: string;
  sourceUrl?: string;
  published?: string;
  publishedDay?: string;
  /** When the item entered the collection: the curation time, +08:00. */
  added: string;
  tags: string[];
  figures: { file: string; caption?: string }[];
  rights?: string;
}

export const TODO = "TODO:";

const quote = (s: string) => JSON.stringify(s);

/** A stable id from the source's host, the publication day and the slug (the scheme content/ uses). */
function tagId(facts: ItemFacts): string | undefined {
  if (!facts.sourceUrl || !facts.published || !facts.slug) return undefined;
  try {
    return `tag:${new URL(facts.sourceUrl).hostname},${facts.published.slice(0, 10)}:${facts.slug}`;
  } catch {
    return undefined;
  }
}

export function renderFrontmatter(facts: ItemFacts): { yaml: string; todos: string[] } {
  const todos: string[] = [];
  const field = (name: string, value: string | undefined, todo: string) => {
    if (value) return quote(value);
    todos.push(name);
    return quote(`${TODO} ${todo}`);
  };
  const day = facts.publishedDay ? `（页面上只有日期 ${facts.publishedDay}）` : "";
  const lines = [
    "---",
    `id: ${field("id", tagId(facts), "永久 id，如 tag:example.com,2021-10-18:slug")}`,
    `title: ${field("title", facts.title, "标题")}`,
    `slug: ${field("slug", facts.slug, "小写拉丁字母和短横线组成的 slug，如 zhang-hongjiang-interview")}`,
    `summary: ${field("summary", facts.summary, "摘要")}`,
    `author: ${field("author", facts.author, "作者")}`,
    "source:",
    `  name: ${field("source.name", facts.sourceName, "来源名称")}`,
    `  url: ${field("source.url", facts.sourceUrl, "原文链接（没有就删掉这一行）")}`,
    `published: ${field("published", facts.published, `发布时间，如 2021-10-18T17:39:41+08:00${day}`)}`,
    "# When it entered this collection (when it was curated).",
    `added: ${quote(facts.added)}`,
    "lang: zh-CN",
    // Curation cannot know an event's times, zone or venue (required for kind: event), so a
    // person turns an item into an event; see the report's check for a registration call.
    "kind: article",
    `tags: [${facts.tags.length > 0 ? facts.tags.map(quote).join(", ") : field("tags", undefined, "标签，如 大模型")}]`,
  ];
  if (facts.figures.length > 0) {
    lines.push("figures:");
    for (const figure of facts.figures) {
      lines.push(`  - file: ${quote(figure.file)}`, `    caption: ${field(`figures ${figure.file}`, figure.caption, "图片说明")}`);
    }
  }
  if (facts.rights) lines.push(`rights: ${quote(facts.rights)}`);
  lines.push("---");
  return { yaml: `${lines.join("\n")}\n`, todos };
}
