/// A code block's language, told by its fence's info string (```py, ```c++, ```golang…). A
/// language Parley does not know is nil: its block stays plain code.
enum CodeLanguage: String, CaseIterable, Sendable {
    case swift, python, javascript, typescript, go, rust, c, cpp, java, shell, json, yaml, toml, sql, html, diff

    /// The first word of `info`, as people write it after a fence: its name or a common alias,
    /// in any case, `{.python}` and `language-python` too.
    init?(info: Substring) {
        var word = info.prefix { $0 != " " && $0 != "\t" && $0 != "," }.lowercased()[...]
        word = word.drop { $0 == "{" || $0 == "." }
        if word.hasPrefix("language-") { word = word.dropFirst("language-".count) }
        if word.hasSuffix("}") { word = word.dropLast() }
        guard let language = Self.names[String(word)] else { return nil }
        self = language
    }

    private static let names: [String: CodeLanguage] = {
        var names = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
        let aliases: [CodeLanguage: [String]] = [
            .python: ["py", "python3", "py3", "pyi"],
            .javascript: ["js", "jsx", "mjs", "cjs", "node"],
            .typescript: ["ts", "tsx", "mts", "cts"],
            .go: ["golang"],
            .rust: ["rs"],
            .c: ["h"],
            .cpp: ["c++", "cc", "cxx", "hpp", "hh", "hxx", "h++", "objc", "objective-c", "objectivec"],
            .java: ["jav"],
            .shell: ["sh", "bash", "zsh", "ksh", "fish", "console", "shell-session", "shellsession", "terminal"],
            .json: ["jsonc", "json5", "jsonl", "ndjson", "geojson"],
            .yaml: ["yml"],
            .sql: ["mysql", "postgresql", "postgres", "psql", "sqlite", "plsql", "tsql"],
            .html: ["htm", "xml", "xhtml", "svg", "vue", "plist"],
            .diff: ["patch", "udiff"],
        ]
        for (language, words) in aliases {
            for word in words { names[word] = language }
        }
        return names
    }()
}
