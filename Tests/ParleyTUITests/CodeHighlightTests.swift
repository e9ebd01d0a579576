import ParleyCore
import Testing

@testable import ParleyTUI

/// Code blocks in a reply: each language's words, strings, numbers and comments in the theme's roles.
@Suite("Code blocks: syntax highlighting, a line at a time")
struct CodeHighlightTests {
    /// `lines` of `language` as the tokenizer reads them one after another, each token that is not
    /// plain shown as `kind«text»`.
    static func marked(_ lines: [String], _ language: CodeLanguage) -> [String] {
        var state = CodeState.code
        return lines.map { line in
            CodeTokenizer.tokens(line[...], in: language, state: &state).map { token in
                token.kind == .plain ? String(token.text) : "\(token.kind)«\(token.text)»"
            }.joined()
        }
    }

    @Test("the fence's info string names the language, by its name or a common alias; others stay plain")
    func languages() {
        let names: [String: CodeLanguage?] = [
            "swift": .swift, "py": .python, "Python": .python, "js": .javascript, "ts": .typescript,
            "tsx": .typescript, "golang": .go, "rs": .rust, "c": .c, "c++": .cpp, "cpp": .cpp, "java": .java,
            "sh": .shell, "bash": .shell, "zsh": .shell, "json": .json, "yml": .yaml, "toml": .toml, "sql": .sql,
            "html": .html, "diff": .diff, "patch": .diff, "{.python}": .python, "language-rust": .rust,
            "python title=\"x.py\"": .python, "brainfuck": nil, "": nil,
        ]
        for (info, language) in names { #expect(CodeLanguage(info: info[...]) == language, "\(info)") }
    }

    @Test("Swift: keywords, types, literals, strings, numbers, attributes and comments")
    func swift() {
        #expect(
            Self.marked(
                ["@MainActor let count: Int = 42 // the answer", "if x == nil { print(\"a \\\"b\\\"\") }"], .swift)
                == [
                    "keyword«@MainActor» keyword«let» count: type«Int» = constant«42» comment«// the answer»",
                    "keyword«if» x == constant«nil» { print(string«\"a \\\"b\\\"\"») }",
                ])
    }

    @Test("a block comment and a multi-line string carry on to the lines after, and end where they close")
    func spanningLines() {
        #expect(
            Self.marked(["let a = 1 /* one", "two */ let b = \"\"\"", "text \"quoted\"", "\"\"\" + c"], .swift) == [
                "keyword«let» a = constant«1» comment«/* one»", "comment«two */» keyword«let» b = string«\"\"\"»",
                "string«text \"quoted\"»", "string«\"\"\"» + c",
            ])
        #expect(
            Self.marked(["s = '''doc", "# not a comment", "'''  # a comment"], .python) == [
                "s = string«'''doc»", "string«# not a comment»", "string«'''»  comment«# a comment»",
            ])
    }

    @Test("Python, JavaScript, TypeScript, Go, Rust, C, C++ and Java")
    func programmingLanguages() {
        #expect(
            Self.marked(["@cache", "def f(x: int) -> None:  # hint", "    return f'{x}' or True"], .python) == [
                "keyword«@cache»", "keyword«def» f(x: type«int») -> constant«None»:  comment«# hint»",
                "    keyword«return» fstring«'{x}'» keyword«or» constant«True»",
            ])
        #expect(
            Self.marked(["const s = `a ${b}", "c` // done"], .javascript) == [
                "keyword«const» s = string«`a ${b}»", "string«c`» comment«// done»",
            ])
        #expect(
            Self.marked(["interface P { name: string; age?: number }"], .typescript) == [
                "keyword«interface» type«P» { name: type«string»; age?: type«number» }"
            ])
        #expect(
            Self.marked(["func main() { var n int64 = 0x1F; s := `raw\\n` }"], .go) == [
                "keyword«func» main() { keyword«var» n type«int64» = constant«0x1F»; s := string«`raw\\n`» }"
            ])
        #expect(
            Self.marked(["fn longest<'a>(x: &'a str) -> Option<char> { Some('x') }"], .rust) == [
                "keyword«fn» longest<type«'a»>(x: &type«'a» type«str») -> type«Option»<type«char»> { constant«Some»(string«'x'») }"
            ])
        #expect(
            Self.marked(["#include <stdio.h>", "int main(void) { return printf(\"%d\\n\", 1.5e3); }"], .c) == [
                "keyword«#include» <stdio.h>",
                "type«int» main(type«void») { keyword«return» printf(string«\"%d\\n\"», constant«1.5e3»); }",
            ])
        #expect(
            Self.marked(["template <typename T> class Box { T* p = nullptr; };"], .cpp) == [
                "keyword«template» <keyword«typename» T> keyword«class» Box { T* p = constant«nullptr»; };"
            ])
        #expect(
            Self.marked(["@Override public String toString() { return \"x\" + 'c'; }"], .java) == [
                "keyword«@Override» keyword«public» type«String» toString() { keyword«return» string«\"x\"» + string«'c'»; }"
            ])
    }

    @Test("shell: variables, keywords, strings; a # inside a word is not a comment")
    func shell() {
        #expect(
            Self.marked(["if [ -n \"$HOME\" ]; then echo a#b ${PATH} $1; fi # done"], .shell) == [
                "keyword«if» [ -n string«\"$HOME\"» ]; keyword«then» echo a#b type«${PATH}» type«$1»; keyword«fi» comment«# done»"
            ])
    }

    @Test("JSON, YAML and TOML: keys apart from values, numbers and constants")
    func dataFiles() {
        #expect(
            Self.marked(["{\"name\": \"parley\", \"n\":-1.5, \"ok\": true, \"x\": null}"], .json) == [
                "{keyword«\"name\"»: string«\"parley\"», keyword«\"n\"»:-constant«1.5», keyword«\"ok\"»: constant«true», keyword«\"x\"»: constant«null»}"
            ])
        #expect(
            Self.marked(["---", "server:", "  - port: 8080  # http", "    url: http://x:80", "    on: yes"], .yaml) == [
                "keyword«---»", "keyword«server»:", "  - keyword«port»: constant«8080»  comment«# http»",
                "    keyword«url»: http://x:constant«80»", "    keyword«on»: constant«yes»",
            ])
        #expect(
            Self.marked(["[tool.parley]", "name = 'x' # c", "big-number = 1_000", "text = \"\"\"", "a\"\"\""], .toml)
                == [
                    "keyword«[tool.parley]»", "keyword«name» = string«'x'» comment«# c»",
                    "keyword«big-number» = constant«1_000»", "keyword«text» = string«\"\"\"»", "string«a\"\"\"»",
                ])
    }

    @Test("SQL in any case, HTML's tags and attributes, and a patch's lines")
    func sqlMarkupAndPatches() {
        #expect(
            Self.marked(["SELECT name FROM users WHERE id = 'x' -- one", "/* all", "*/ select 1"], .sql) == [
                "keyword«SELECT» name keyword«FROM» users keyword«WHERE» id = string«'x'» comment«-- one»",
                "comment«/* all»", "comment«*/» keyword«select» constant«1»",
            ])
        #expect(
            Self.marked(
                ["<a href=\"/x\" class='y'>Tom &amp; Jerry</a> <!-- note", "--> <img", "  src=\"p.png\"/>"], .html)
                == [
                    "keyword«<a» type«href»=string«\"/x\"» type«class»=string«'y'»keyword«>»Tom constant«&amp;» Jerrykeyword«</a>» comment«<!-- note»",
                    "comment«-->» keyword«<img»", "  type«src»=string«\"p.png\"»keyword«/>»",
                ])
        #expect(
            Self.marked(
                ["diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,2 +1,2 @@", " same", "-old", "+new"], .diff) == [
                    "header«diff --git a/x b/x»", "header«--- a/x»", "header«+++ b/x»", "hunk«@@ -1,2 +1,2 @@»",
                    " same",
                    "removed«-old»", "added«+new»",
                ])
    }

    @Test("any line, in any language, from any state, joins back to itself, and leaves one state, cut or not")
    func tokensJoinToTheLine() {
        // Pieces that open and close every kind of token, and text that is not ASCII.
        let pieces = [
            "\"", "'", "`", "\"\"\"", "'''", "/*", "*/", "//", "#", "--", "<!--", "-->", "<", ">", "/>", "\\", "$",
            "${", "}", "@", "&amp;", "&", ";", ":", "=", "[", "]", "-", "+", "@@", " ", "\t", "let", "x", "Int", "42",
            "0x1F", "1.5", "é", "e\u{301}", "日本", "👩‍👧", "\u{301}", "\u{1B}", "'a", "'\\n'",
        ]
        var random = SeededRandom(seed: 16)
        for _ in 0..<3_000 {
            let language = CodeLanguage.allCases.randomElement(using: &random)!
            var state = CodeState.code
            for _ in 0..<3 {
                let count = Int.random(in: 0..<14, using: &random)
                let line = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
                let before = state
                let tokens = CodeTokenizer.tokens(line[...], in: language, state: &state)
                #expect(tokens.map { String($0.text) }.joined() == line, "\(language): \(line.debugDescription)")
                #expect(CodeTokenizer.state(after: line[...], in: language, from: before) == state)
                #expect(!tokens.contains { $0.text.isEmpty })
            }
        }
    }
}
