/// What a language family's tokens look like, for the one scanner (`CodeTokenizer`): its words,
/// comments and quotes. Only what a line-at-a-time scan can tell cheaply; the rest is plain.
///
/// A class: the scanner takes one for every line it reads, and a reference is one count to keep,
/// where a value of sets and arrays is a dozen.
final class CodeSyntax: Sendable {
    /// A string's delimiters. A string that may span lines (""" in Swift and Python, ` in
    /// JavaScript and Go, "…" in Rust and shell) leaves the line inside it.
    struct Quote: Equatable, Sendable {
        var open: [UInt8]
        var close: [UInt8]
        var spansLines = false
        var escapes = true

        init(_ open: String, _ close: String? = nil, spansLines: Bool = false, escapes: Bool = true) {
            self.open = Array(open.utf8)
            self.close = Array((close ?? open).utf8)
            self.spansLines = spansLines
            self.escapes = escapes
        }
    }

    let keywords: Set<Substring>
    let types: Set<Substring>
    /// Constants: true, nil, None…
    let literals: Set<Substring>
    /// A word starting with a capital is a type (Swift, Java, Rust, TypeScript).
    let capitalizedTypes: Bool
    let caseInsensitive: Bool
    let lineComments: [[UInt8]]
    /// A line comment's marker only where a word could start (shell's #: `$#` and `a#b` are not comments).
    let commentsAtWordStart: Bool
    let blockComment: (open: [UInt8], close: [UInt8])?
    /// Longest first: """ must be tried before ".
    let quotes: [Quote]
    /// ' opens a character only when a closing ' follows it closely (Rust: 'a is a lifetime).
    let shortCharacters: Bool
    /// A quoted string or a word followed by this is a key (JSON and YAML ':', TOML '=').
    let keySeparator: UInt8?
    /// `$NAME`, `${…}` are variables (shell).
    let variables: Bool
    /// `#include` and the like start the line (C, C++).
    let preprocessor: Bool
    /// `@name` is an attribute, decorator or annotation.
    let attributes: Bool
    /// The ASCII bytes a comment or a string starts with, one bit each (see `mayOpen`).
    private let opening: UInt128

    init(
        keywords: Set<Substring> = [], types: Set<Substring> = [], literals: Set<Substring> = [],
        capitalizedTypes: Bool = false, caseInsensitive: Bool = false, lineComments: [[UInt8]] = [],
        commentsAtWordStart: Bool = false, blockComment: (open: [UInt8], close: [UInt8])? = nil,
        quotes: [Quote] = [], shortCharacters: Bool = false, keySeparator: UInt8? = nil, variables: Bool = false,
        preprocessor: Bool = false, attributes: Bool = false
    ) {
        self.keywords = keywords
        self.types = types
        self.literals = literals
        self.capitalizedTypes = capitalizedTypes
        self.caseInsensitive = caseInsensitive
        self.lineComments = lineComments
        self.commentsAtWordStart = commentsAtWordStart
        self.blockComment = blockComment
        self.quotes = quotes
        self.shortCharacters = shortCharacters
        self.keySeparator = keySeparator
        self.variables = variables
        self.preprocessor = preprocessor
        self.attributes = attributes
        let openers = lineComments + quotes.map(\.open) + (blockComment.map { [$0.open] } ?? [])
        opening = openers.compactMap(\.first).reduce(0) { $0 | 1 << $1 }
    }

    /// Whether a comment or a string may start at `byte`: at any other byte, neither can.
    func mayOpen(_ byte: UInt8) -> Bool { byte < 128 && opening & 1 << byte != 0 }

    static func words(_ text: String) -> Set<Substring> { Set(text.split(separator: " ")) }

    static let cComments: [[UInt8]] = [Array("//".utf8)]
    static let cBlock = (open: Array("/*".utf8), close: Array("*/".utf8))
    static let hashComments: [[UInt8]] = [Array("#".utf8)]
    static let cQuotes = [Quote("\""), Quote("'")]

    static func of(_ language: CodeLanguage) -> CodeSyntax {
        switch language {
        case .swift: swift
        case .python: python
        case .javascript: javascript
        case .typescript: typescript
        case .go: go
        case .rust: rust
        case .c: c
        case .cpp: cpp
        case .java: java
        case .shell: shell
        case .json: json
        case .yaml: yaml
        case .toml: toml
        case .sql: sql
        // Markup and patches are read by their own scanners.
        case .html, .diff: none
        }
    }

    static let none = CodeSyntax()

    static let swift = CodeSyntax(
        keywords: words(
            "associatedtype actor async await break case catch class continue convenience default defer deinit didSet do "
                + "dynamic else enum extension fallthrough fileprivate final for func get guard if import in indirect "
                + "init inout internal is lazy let mutating nonisolated nonmutating open operator optional override "
                + "package precedencegroup private protocol public repeat required rethrows return set some any static "
                + "struct subscript super switch throw throws try typealias unowned var weak where while willSet consume "
                + "borrowing consuming sending macro"),
        literals: words("true false nil self Self"), capitalizedTypes: true, lineComments: cComments,
        blockComment: cBlock, quotes: [Quote("\"\"\"", spansLines: true), Quote("\"")], attributes: true)

    static let python = CodeSyntax(
        keywords: words(
            "and as assert async await break class continue def del elif else except finally for from global if "
                + "import in is lambda nonlocal not or pass raise return try while with yield match case type"),
        types: words("int float str bytes bool list dict set tuple object type complex frozenset bytearray"),
        literals: words("True False None self cls"), lineComments: hashComments,
        quotes: [
            Quote("\"\"\"", spansLines: true), Quote("'''", spansLines: true), Quote("\""), Quote("'"),
        ], attributes: true)

    static let javascriptKeywords =
        "async await break case catch class const continue debugger default delete do else export extends "
        + "finally for from function get if import in instanceof let new of return set static super switch "
        + "this throw try typeof var void while with yield"

    static let javascript = CodeSyntax(
        keywords: words(javascriptKeywords), literals: words("true false null undefined NaN Infinity"),
        lineComments: cComments, blockComment: cBlock,
        quotes: [Quote("\""), Quote("'"), Quote("`", spansLines: true)])

    static let typescript = CodeSyntax(
        keywords: words(
            javascriptKeywords
                + " abstract as declare enum implements interface is keyof namespace private protected public "
                + "readonly satisfies type infer asserts override"),
        types: words("string number boolean any unknown never void object symbol bigint"),
        literals: words("true false null undefined NaN Infinity"), capitalizedTypes: true, lineComments: cComments,
        blockComment: cBlock, quotes: [Quote("\""), Quote("'"), Quote("`", spansLines: true)], attributes: true)

    static let go = CodeSyntax(
        keywords: words(
            "break case chan const continue default defer else fallthrough for func go goto if import interface "
                + "map package range return select struct switch type var"),
        types: words(
            "bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint "
                + "uint8 uint16 uint32 uint64 uintptr any comparable"),
        literals: words("true false nil iota"), lineComments: cComments, blockComment: cBlock,
        quotes: [Quote("\""), Quote("'"), Quote("`", spansLines: true, escapes: false)])

    static let rust = CodeSyntax(
        keywords: words(
            "as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod "
                + "move mut pub ref return static struct super trait type unsafe use where while macro_rules union"),
        types: words(
            "i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str"),
        literals: words("true false self Self None Some Ok Err"), capitalizedTypes: true, lineComments: cComments,
        blockComment: cBlock, quotes: [Quote("\"", spansLines: true)], shortCharacters: true)

    static let cKeywords =
        "auto break case const continue default do else enum extern for goto if inline register restrict return "
        + "sizeof static struct switch typedef union volatile while _Bool _Atomic _Noreturn"
    static let cTypes =
        "char double float int long short signed unsigned void size_t ssize_t bool FILE"
        + " int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t"

    static let c = CodeSyntax(
        keywords: words(cKeywords), types: words(cTypes), literals: words("NULL true false"),
        lineComments: cComments, blockComment: cBlock, quotes: cQuotes, preprocessor: true)

    static let cpp = CodeSyntax(
        keywords: words(
            cKeywords
                + " alignas alignof catch class constexpr consteval constinit const_cast decltype delete "
                + "dynamic_cast explicit export friend mutable namespace new noexcept operator private protected "
                + "public reinterpret_cast static_assert static_cast template this throw try typeid typename using "
                + "virtual override final co_await co_return co_yield concept requires"),
        types: words(cTypes + " wchar_t char8_t char16_t char32_t auto string vector map"),
        literals: words("NULL nullptr true false"), lineComments: cComments, blockComment: cBlock,
        quotes: cQuotes, preprocessor: true)

    static let java = CodeSyntax(
        keywords: words(
            "abstract assert break case catch class const continue default do else enum extends final finally for "
                + "goto if implements import instanceof interface native new package private protected public "
                + "return static strictfp super switch synchronized this throw throws transient try volatile while "
                + "var record sealed permits yield"),
        types: words("boolean byte char double float int long short void"), literals: words("true false null"),
        capitalizedTypes: true, lineComments: cComments, blockComment: cBlock,
        quotes: [Quote("\"\"\"", spansLines: true), Quote("\""), Quote("'")], attributes: true)

    static let shell = CodeSyntax(
        keywords: words(
            "if then else elif fi for while until do done case esac in function return local export readonly "
                + "declare unset break continue exit select time source alias set shift trap eval exec"),
        literals: words("true false"), lineComments: hashComments, commentsAtWordStart: true,
        quotes: [Quote("\"", spansLines: true), Quote("'", spansLines: true, escapes: false)], variables: true)

    static let json = CodeSyntax(
        literals: words("true false null"), lineComments: cComments, blockComment: cBlock, quotes: [Quote("\"")],
        keySeparator: UInt8(ascii: ":"))

    static let yaml = CodeSyntax(
        literals: words("true false null yes no on off True False Null Yes No On Off TRUE FALSE NULL ~"),
        lineComments: hashComments, commentsAtWordStart: true,
        quotes: [Quote("\""), Quote("'", escapes: false)], keySeparator: UInt8(ascii: ":"))

    static let toml = CodeSyntax(
        literals: words("true false inf nan"), lineComments: hashComments,
        quotes: [
            Quote("\"\"\"", spansLines: true), Quote("'''", spansLines: true, escapes: false), Quote("\""),
            Quote("'", escapes: false),
        ], keySeparator: UInt8(ascii: "="))

    static let sql = CodeSyntax(
        keywords: words(
            "select from where insert into values update set delete create table drop alter add column index "
                + "view primary key foreign references join inner left right outer full cross on as and or not "
                + "in is like between exists group by order having limit offset union all distinct case when then "
                + "else end begin commit rollback transaction returning with recursive default unique check "
                + "constraint if replace trigger asc desc cascade using natural conflict do nothing"),
        types: words(
            "int integer bigint smallint real double float decimal numeric text varchar char boolean bool date "
                + "time timestamp timestamptz blob json jsonb uuid serial"),
        literals: words("null true false"), caseInsensitive: true, lineComments: [Array("--".utf8)],
        blockComment: cBlock, quotes: [Quote("'"), Quote("\"")])
}
