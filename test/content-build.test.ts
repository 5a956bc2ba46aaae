/**
 * The content build (scripts/build-content.ts runs compileItem on every file of content/):
 * a file with a missing or wrong field stops it with the file name, the field and what was
 * expected; a valid file compiles to exactly the item the Worker serves.
 */
import { describe, expect, it } from "vitest";
import { ContentError, compileItem } from "../scripts/content/compile.ts";
import { getItem } from "../src/content/collection.ts";
import interviewSource from "../content/zhang-hongjiang-interview.md?raw";
import badDate from "./fixtures/bad-date.md?raw";
import badFieldType from "./fixtures/bad-field-type.md?raw";
import missingField from "./fixtures/bad-missing-field.md?raw";
import badSpacing from "./fixtures/bad-spacing.md?raw";

function buildError(file: string, source: string): ContentError {
  try {
    compileItem(file, source);
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error(`${file} compiled, but it should have been rejected`);
}

describe("content build errors", () => {
  it("rejects a field curation left as a TODO, naming each one", () => {
    const source = interviewSource
      .replace(/^author: .*$/m, 'author: "TODO: 作者"')
      .replace(/^tags: .*$/m, 'tags: ["TODO: 标签"]');
    const error = buildError("content/x.md", source);
    expect(error.message).toContain('field "author": still a TODO left by curation');
    expect(error.message).toContain('field "tags.0": still a TODO left by curation');
    expect(() => compileItem("content/x.md", interviewSource)).not.toThrow();
  });

  it("names the file and the missing field", () => {
    const error = buildError("test/fixtures/bad-missing-field.md", missingField);
    expect(error.message).toMatch(/^test\/fixtures\/bad-missing-field\.md:/);
    expect(error.message).toMatch(/field "summary": .*expected string, received undefined/);
  });

  it("names the field with the wrong type and the type expected", () => {
    const error = buildError("test/fixtures/bad-field-type.md", badFieldType);
    expect(error.message).toMatch(/^test\/fixtures\/bad-field-type\.md:/);
    expect(error.message).toMatch(/field "tags": .*expected array, received string/);
  });

  it("names a date without an offset and the format expected", () => {
    const error = buildError("test/fixtures/bad-date.md", badDate);
    expect(error.message).toMatch(/^test\/fixtures\/bad-date\.md:/);
    expect(error.message).toContain('field "published": an ISO 8601 date-time with an offset, e.g. 2021-10-18T17:39:41+08:00');
  });

  it("requires when an item entered the collection, with an offset", () => {
    const error = buildError("content/x.md", interviewSource.replace(/^added: .*\n/m, ""));
    expect(error.message).toMatch(/field "added": .*expected string, received undefined/);
    const noOffset = buildError("content/x.md", interviewSource.replace(/^added: .*$/m, "added: 2026-11-29T09:58:29"));
    expect(noOffset.message).toContain('field "added": an ISO 8601 date-time with an offset');
  });

  it("checks an event's time: a known zone, both ends of one kind, the end after the start, the deadline before the end", () => {
    const withEvent = (event: string, body = "正文。") =>
      interviewSource.replace("kind: article", "kind: event").replace(/\n---\n[\s\S]*$/, `\nevent:\n${event}\n---\n\n${body}\n`).replace(/^figures:[\s\S]*?(?=^rights:)/m, "");
    const ok = compileItem("content/x.md", withEvent("  starts: 2026-12-10T14:00:00+08:00\n  ends: 2026-12-10T17:00:00+08:00\n  timezone: Asia/Shanghai"));
    expect(ok.event?.timezone).toBe("Asia/Shanghai");
    expect(buildError("content/x.md", withEvent("  starts: 2026-12-10\n  ends: 2026-12-11\n  timezone: Europe/Paris")).message).toContain('field "event.timezone"');
    expect(buildError("content/x.md", withEvent("  starts: 2026-12-10\n  ends: 2026-12-11T10:00:00+08:00\n  timezone: Asia/Shanghai")).message).toContain(
      'field "event.ends": expected the same kind as "event.starts"',
    );
    expect(buildError("content/x.md", withEvent("  starts: 2026-12-10T14:00:00+08:00\n  ends: 2026-12-10T13:00:00+08:00\n  timezone: Asia/Shanghai")).message).toContain(
      'field "event.ends": expected a time after "event.starts"',
    );
    const lateDeadline = "  starts: 2026-12-10\n  ends: 2026-12-10\n  timezone: Asia/Shanghai\n  registration:\n    deadline: 2026-12-11T09:00:00+08:00";
    expect(buildError("content/x.md", withEvent(lateDeadline)).message).toContain('field "event.registration.deadline": expected a time before the event ends');
  });

  it("keeps an event's call to register apart from its body, and allows it for events only", () => {
    const marked = interviewSource.replace(/\n\n([^\n]+)\s*$/, "\n\n<!-- registration -->\n\n$1\n");
    expect(buildError("content/x.md", marked).message).toContain('body: a <!-- registration --> part is only allowed when kind is "event"');
  });

  it("names each text field that misses a space between Chinese and Latin, with an excerpt, and skips URLs", () => {
    const error = buildError("test/fixtures/bad-spacing.md", badSpacing);
    expect(error.message).toMatch(/^test\/fixtures\/bad-spacing\.md:/);
    const lines = error.message.split("\n").slice(1);
    expect(lines).toEqual([
      '  - field "title": "悟道2.0 发布" needs one space between Chinese and a Latin letter or digit',
      '  - field "figures.0.caption": "来自IEEE 的图" needs one space between Chinese and a Latin letter or digit',
      '  - field "body": "第二段提到C语言。 !" needs one space between Chinese and a Latin letter or digit',
      '  - field "body": "第二段提到C语言。 ![" needs one space between Chinese and a Latin letter or digit',
    ]);
  });

  it("compiles the real interview into the item the Worker serves", () => {
    const compiled = compileItem("content/zhang-hongjiang-interview.md", interviewSource);
    expect(compiled).toEqual(getItem("zhang-hongjiang-interview"));
  });
});
