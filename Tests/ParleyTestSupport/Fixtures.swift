import Foundation

public enum Fixtures {
    /// The package root, found from this file's place in the source tree.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The recorded provider streams kept in the repository (`Tests/Fixtures/streams`, see its
    /// PROVENANCE.md): real response bodies, the ground truth for each wire format.
    public static let streams = packageRoot.appendingPathComponent("Tests/Fixtures/streams", isDirectory: true)

    /// Every recorded stream body, as paths relative to `streams` ("gemini/x.sse"), sorted.
    public static func streamFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(at: streams, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        let prefix = streams.standardizedFileURL.path + "/"
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { String($0.standardizedFileURL.path.dropFirst(prefix.count)) }
            .filter { $0 != "PROVENANCE.md" }
            .sorted()
    }

    /// The bytes of one recorded stream ("deepseek/x.sse").
    public static func stream(_ relativePath: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: streams.appendingPathComponent(relativePath)))
    }

    /// A test's own small fixture: `Tests/<target>/Fixtures/<relativePath>`.
    public static func own(_ relativePath: String, target: String) throws -> [UInt8] {
        let file = packageRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(relativePath)")
        return try [UInt8](Data(contentsOf: file))
    }
}
