/**
 * The content build (scripts/build-content.ts runs compileItem on every file of content/):
 * a file with a missing or wrong field stops it with the file name, the field and what was
 * expected; a valid file compiles to exactly the item the Worker serves.
 */
import { describe, expect, it } from "vitest";
import { ContentError, compileItem } from "../src/content/compile.ts";
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
