import Foundation

public enum Fixtures {
    /// The package root, found from this file's place in the source tree.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/streams` beside the checkout, when it is there (CI has it).
    public static var sharedStreams: URL? {
        let folder = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/streams", isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return nil }
        return folder
    }

    /// Every recorded stream body under `sharedStreams`, as paths relative to it ("gemini/x.sse").
    public static func sharedStreamFiles() -> [String] {
        guard let root = sharedStreams,
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        let prefix = root.standardizedFileURL.path + "/"
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { String($0.standardizedFileURL.path.dropFirst(prefix.count)) }
            .filter { $0 != "SOURCES.md" }
            .sorted()
    }

    public static func sharedStream(_ relativePath: String) throws -> [UInt8] {
        guard let root = sharedStreams else { throw CocoaError(.fileNoSuchFile) }
        return try [UInt8](Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// A test's own small fixture: `Tests/<target>/Fixtures/<relativePath>`.
    public static func own(_ relativePath: String, target: String) throws -> [UInt8] {
        let file = packageRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(relativePath)")
        return try [UInt8](Data(contentsOf: file))
    }
}
