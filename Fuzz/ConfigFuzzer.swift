// libFuzzer target: the config file parser. Any text in: never a crash or a hang, and a refused
// file names at least one problem, each at a line and column inside the text.
// Built and run by Fuzz/build and Fuzz/run (see Fuzz/README.md).

@testable import ParleyConfig

let vocabulary = ConfigVocabulary(
    colourRoles: ["accent", "user", "thinking"], commands: ["send", "quit", "copy"],
    isKeyName: { ["enter", "ctrl-q", "f1", "y"].contains($0) })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try ConfigParser.parse(text, path: "fuzz.toml", vocabulary: vocabulary)
    } catch {
        guard !error.issues.isEmpty else { fatalError("refused without a problem") }
        // Lines end at LF (a CRLF pair is one Character, so count scalars, not Characters).
        let lineCount = text.unicodeScalars.filter { $0 == "\n" }.count + 1
        for issue in error.issues {
            if let line = issue.line, !(1...max(lineCount, 1)).contains(line) {
                fatalError("problem at line \(line) of a \(lineCount)-line file: \(issue)")
            }
            if let column = issue.column, column < 1 { fatalError("problem at column \(column): \(issue)") }
        }
        _ = error.description
    }
    return 0
}
