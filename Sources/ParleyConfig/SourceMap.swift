/// Where each key of a TOML document is written, so that a problem found in a value (which
/// the TOML parser does not locate) can still be reported at its line and column.
///
/// It reads table headers (`[providers.openai]`) and `key = value` lines, skipping the insides
/// of multi-line strings and arrays; keys inside inline tables are located at the line of the
/// key that holds the table.
struct SourceMap {
    struct Position: Equatable {
        var line: Int
        var column: Int
    }

    private var positions: [[String]: Position] = [:]

    init(_ text: String) {
        var table: [String] = []
        var skipping = Skipping.nothing
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            let line = Array(rawLine)
            var cursor = 0
            if case .string(let delimiter) = skipping {
                guard let end = Self.find(delimiter, in: line, from: 0) else { continue }
                cursor = end + delimiter.count
                skipping = Self.skipValue(line, from: &cursor, depth: 0)
                continue
            }
            if case .array(let depth) = skipping {
                skipping = Self.skipValue(line, from: &cursor, depth: depth)
                continue
            }
            while cursor < line.count, line[cursor] == " " || line[cursor] == "\t" { cursor += 1 }
            guard cursor < line.count, line[cursor] != "#" else { continue }
            let position = Position(line: index + 1, column: cursor + 1)
            if line[cursor] == "[" {
                cursor += line[safe: cursor + 1] == "[" ? 2 : 1
                table = Self.keyPath(line, from: &cursor)
                record(table, at: position)
                continue
            }
            let key = Self.keyPath(line, from: &cursor)
            guard !key.isEmpty else { continue }
            record(table + key, at: position)
            while cursor < line.count, line[cursor] == " " || line[cursor] == "\t" { cursor += 1 }
            guard cursor < line.count, line[cursor] == "=" else { continue }
            cursor += 1
            skipping = Self.skipValue(line, from: &cursor, depth: 0)
        }
    }

    /// The position of `path`, else of its longest prefix that is written in the file.
    func position(of path: [String]) -> Position? {
        var path = path
        while !path.isEmpty {
            if let found = positions[path] { return found }
            path.removeLast()
        }
        return nil
    }

    private mutating func record(_ path: [String], at position: Position) {
        // A dotted key (`a.b = 1`) also places its parents, where they have no line of their own.
        for length in stride(from: path.count, through: 1, by: -1) where positions[Array(path.prefix(length))] == nil {
            positions[Array(path.prefix(length))] = position
        }
    }

    private enum Skipping {
        case nothing
        /// Inside a multi-line string closed by this delimiter.
        case string([Character])
        /// Inside an array opened on an earlier line.
        case array(depth: Int)
    }

    /// Reads `key`, `"quoted key"` and `a.b.c`; leaves the cursor after the last part.
    private static func keyPath(_ line: [Character], from cursor: inout Int) -> [String] {
        var parts: [String] = []
        while cursor < line.count {
            while cursor < line.count, line[cursor] == " " || line[cursor] == "\t" { cursor += 1 }
            guard cursor < line.count else { break }
            let character = line[cursor]
            if character == "\"" || character == "'" {
                var part = ""
                cursor += 1
                while cursor < line.count, line[cursor] != character {
                    if character == "\"", line[cursor] == "\\", cursor + 1 < line.count { cursor += 1 }
                    part.append(line[cursor])
                    cursor += 1
                }
                cursor += 1
                parts.append(part)
            } else if character.isLetter || character.isNumber || character == "_" || character == "-" {
                var part = ""
                while cursor < line.count,
                    line[cursor].isLetter || line[cursor].isNumber || line[cursor] == "_" || line[cursor] == "-"
                {
                    part.append(line[cursor])
                    cursor += 1
                }
                parts.append(part)
            } else {
                break
            }
            while cursor < line.count, line[cursor] == " " || line[cursor] == "\t" { cursor += 1 }
            guard cursor < line.count, line[cursor] == "." else { break }
            cursor += 1
        }
        return parts
    }

    /// Skips a value to the end of the line, noting whether it leaves a multi-line string or an
    /// array open.
    private static func skipValue(_ line: [Character], from cursor: inout Int, depth start: Int) -> Skipping {
        var depth = start
        while cursor < line.count {
            let character = line[cursor]
            switch character {
            case "#":
                return depth > 0 ? .array(depth: depth) : .nothing
            case "[", "{":
                depth += 1
            case "]", "}":
                depth = max(0, depth - 1)
            case "\"", "'":
                let triple = Array(repeating: character, count: 3)
                if Array(line[cursor..<min(line.count, cursor + 3)]) == triple {
                    guard let end = find(triple, in: line, from: cursor + 3) else { return .string(triple) }
                    cursor = end + 3
                    continue
                }
                cursor += 1
                while cursor < line.count, line[cursor] != character {
                    if character == "\"", line[cursor] == "\\" { cursor += 1 }
                    cursor += 1
                }
            default:
                break
            }
            cursor += 1
        }
        return depth > 0 ? .array(depth: depth) : .nothing
    }

    private static func find(_ delimiter: [Character], in line: [Character], from start: Int) -> Int? {
        guard line.count >= delimiter.count, start <= line.count - delimiter.count else { return nil }
        for index in start...(line.count - delimiter.count)
        where Array(line[index..<index + delimiter.count]) == delimiter {
            return index
        }
        return nil
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
