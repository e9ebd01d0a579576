import Foundation

/// A page of a Parley database damaged in place, for the stories of damage that only a check of
/// every page finds: the file's header and schema stay whole.
public enum DamagedPages {
    /// The pages holding long messages' text beyond their rows (overflow pages), in file order.
    public static let longMessagePages =
        "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'overflow' ORDER BY pageno"

    /// Scribbles over page `page` (SQLite's 4 KB pages, from 1) of the file at `path`; returns the
    /// file's new bytes.
    @discardableResult
    public static func damage(page: Int, of path: String) throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for index in (page - 1) * 4096..<page * 4096 { bytes[index] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path))
        return bytes
    }
}
