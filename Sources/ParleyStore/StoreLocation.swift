/// Where the conversation database lives, worked out from the environment alone so it is the
/// same answer in every process and testable without touching the real home folder.
public enum StoreLocation {
    public static let fileName = "parley.sqlite"

    /// `$PARLEY_HOME/parley.sqlite`, else `$XDG_DATA_HOME/parley/parley.sqlite`, else
    /// `~/.local/share/parley/parley.sqlite`. Empty variables count as unset, and a relative
    /// `XDG_DATA_HOME` is ignored as the XDG spec requires.
    public static func databasePath(environment: [String: String]) throws(StoreError) -> String {
        if let home = nonEmpty(environment["PARLEY_HOME"]) {
            return join(home, fileName)
        }
        if let data = nonEmpty(environment["XDG_DATA_HOME"]), data.hasPrefix("/") {
            return join(join(data, "parley"), fileName)
        }
        if let home = nonEmpty(environment["HOME"]) {
            return join(join(home, ".local/share/parley"), fileName)
        }
        throw .noDataFolder
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
