import Foundation
import GRDB

/// Text as the database must keep it: every byte. GRDB binds a `String` as a C string and reads
/// one back with `String(cString:)`, so a NUL byte would end it there. Text holding one is stored
/// as a BLOB of its UTF-8 bytes instead, and both storage classes read back as the same text.
/// FTS5 tokenizes a BLOB's bytes as text, so search still finds every word (its snippets stop at
/// a NUL, which is SQLite's doing).
struct StoredText: DatabaseValueConvertible, Codable, Equatable {
    var string: String

    init(_ string: String) { self.string = string }

    // Records bind and read it as a database value (above); as a plain Codable value, it is its string.
    init(from decoder: any Decoder) throws {
        string = try decoder.singleValueContainer().decode(String.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    var databaseValue: DatabaseValue {
        holdsNUL ? Data(string.utf8).databaseValue : string.databaseValue
    }

    /// A NUL byte anywhere, found with memchr: a streaming reply is saved again every second,
    /// and a byte-by-byte look made each save of a long reply cost more than the write itself.
    private var holdsNUL: Bool {
        var bytes = string
        return bytes.withUTF8 { utf8 in utf8.baseAddress.map { memchr($0, 0, utf8.count) != nil } ?? false }
    }

    static func fromDatabaseValue(_ value: DatabaseValue) -> StoredText? {
        switch value.storage {
        case .string(let string): StoredText(string)
        case .blob(let bytes): StoredText(String(decoding: bytes, as: UTF8.self))
        case .null, .int64, .double: nil
        }
    }
}

extension String {
    /// This text bound as a statement argument, every byte kept (see `StoredText`).
    var stored: StoredText { StoredText(self) }
}

extension Optional<String> {
    var stored: StoredText? { map(StoredText.init) }
}
