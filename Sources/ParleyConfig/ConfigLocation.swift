/// Where the config file lives, worked out from the environment alone (as `StoreLocation` does
/// for the database), so every command and test agrees.
public enum ConfigLocation {
    public static let fileName = "config.toml"

    /// `$PARLEY_HOME/config.toml`, else `$XDG_CONFIG_HOME/parley/config.toml`, else
    /// `~/.config/parley/config.toml`; nil with no home folder at all. Empty variables count as
    /// unset, and a relative `XDG_CONFIG_HOME` is ignored as the XDG spec requires.
    public static func path(environment: [String: String]) -> String? {
        if let home = nonEmpty(environment["PARLEY_HOME"]) { return join(home, fileName) }
        if let config = nonEmpty(environment["XDG_CONFIG_HOME"]), config.hasPrefix("/") {
            return join(join(config, "parley"), fileName)
        }
        if let home = nonEmpty(environment["HOME"]) { return join(join(home, ".config/parley"), fileName) }
        return nil
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
