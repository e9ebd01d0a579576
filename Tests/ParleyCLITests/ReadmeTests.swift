import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import parley

@Suite("Every command the README shows")
struct ReadmeTests {
    static let readme =
        (try? String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    /// Each `parley …` command in the README's code blocks and inline code, as arguments after
    /// `parley`: environment assignments, pipes into it and trailing comments left out, optional
    /// parts (`[--thinking]`) given, and the first of alternatives (`md|json`) taken.
    static var commands: [[String]] {
        var texts: [String] = []
        var inBlock = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            if inBlock {
                texts.append(String(line))
            } else {
                let spans = line.split(separator: "`", omittingEmptySubsequences: false)
                texts += stride(from: 1, to: spans.count, by: 2).map { String(spans[$0]) }
            }
        }
        return texts.compactMap(command)
    }

    static func command(_ text: String) -> [String]? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("$ ") { text.removeFirst(2) }
        if let comment = text.range(of: "  #") { text = String(text[..<comment.lowerBound]) }
        guard
            let segment = text.components(separatedBy: " | ").first(where: { $0.contains("parley ") || $0 == "parley" })
        else { return nil }
        var words = split(segment)
        while let first = words.first, first.contains("="), !first.hasPrefix("-") { words.removeFirst() }
        guard words.first == "parley" else { return nil }
        return words.dropFirst().compactMap { word in
            let plain = word.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
            guard plain != "...", !plain.isEmpty else { return nil }
            return plain.contains("|") && !plain.contains(" ") ? String(plain.split(separator: "|")[0]) : plain
        }
    }

    /// Words as the shell splits them, double quotes kept together.
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
                inWord = true
            } else if character == " ", !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    @Test("the README shows the new commands at all")
    func found() {
        for command in ["models", "doctor", "config path", "config show", "config edit", "ask --json", "ask --preset"] {
            let words = command.split(separator: " ").map(String.init)
            #expect(Self.commands.contains { $0.starts(with: words) }, "\(command)")
        }
        #expect(Self.commands.count > 40)
    }

    @Test("each one is a valid command line: its subcommand, options and values exist")
    func parses() {
        for arguments in Self.commands {
            #expect(throws: Never.self, "parley \(arguments.joined(separator: " "))") {
                _ = try Parley.parseAsRoot(Ask.spellingToolServers(arguments))
            }
        }
    }

    @Test("the ones that need no provider run as shown, with nothing configured")
    func runAsShown() async throws {
        let home = try ConfigHome()
        for arguments in [["config", "path"], ["config", "show"], ["models"], ["doctor"], ["list"]] {
            let result = try await ParleyProcess.run(arguments, environment: home.environment())
            #expect(result.status == 0, "parley \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let json = try await ParleyProcess.run(
            ["ask", "--json", "List three colours as a JSON array"], environment: home.environment())
        #expect(json.status == 0, "the demo answers --json in JSON: \(json.stderr)")
        #expect((try? JSON.parse(json.stdout)) != nil)

        try home.write("[presets.reviewer]\nsystem = \"You review code.\"\n")
        let preset = try await ParleyProcess.run(["ask", "--preset", "reviewer", "…"], environment: home.environment())
        #expect(preset.status == 0)
    }
}
