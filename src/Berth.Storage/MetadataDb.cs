using Berth.Core;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>A small SQLite document store: JSON documents keyed by (kind, id); safe to share between request threads.</summary>
public sealed class MetadataDb : IDisposable
{
    private static readonly object InitLock = new();
    private static bool _initialized;
    private readonly SqliteConnection _conn;
    private readonly object _gate = new();
    private int _txDepth;
    private SqliteTransaction? _tx;

    public MetadataDb(string path)
    {
        EnsureSqliteInitialized();
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _conn.Open();
        Exec("PRAGMA journal_mode=WAL;");
        Exec("PRAGMA busy_timeout=5000;");
        Exec("PRAGMA synchronous=NORMAL;");
        Exec("CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;");
    }

    /// <summary>SQLitePCL must be told which native provider to use; under NativeAOT nothing does it implicitly.</summary>
    private static void EnsureSqliteInitialized()
    {
        lock (InitLock)
        {
            if (_initialized) return;
            SQLitePCL.Batteries_V2.Init();
            _initialized = true;
        }
    }

    public void Put(string kind, string id, string json)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO docs (kind, id, json) VALUES ($k, $i, $j) ON CONFLICT(kind, id) DO UPDATE SET json = excluded.json;");
            cmd.Parameters.AddWithValue("$k", kind);
            cmd.Parameters.AddWithValue("$i", id);
            cmd.Parameters.AddWithValue("$j", json);
            cmd.ExecuteNonQuery();
        }
    }

    public string? Get(string kind, string id)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT json FROM docs WHERE kind = $k AND id = $i;");
            cmd.Parameters.AddWithValue("$k", kind);
            cmd.Parameters.AddWithValue("$i", id);
            return cmd.ExecuteScalar() as string;
        }
    }

    public IReadOnlyList<(string Id, string Json)> List(string kind)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT id, json FROM docs WHERE kind = $k ORDER BY id;");
            cmd.Parameters.AddWithValue("$k", kind);
            using var r = cmd.ExecuteReader();
            var list = new List<(string, string)>();
            while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
            return list;
        }
    }

    public bool Delete(string kind, string id)
    {
        lock (_gate)
        {
            using var cmd = Command("DELETE FROM docs WHERE kind = $k AND id = $i;");
            cmd.Parameters.AddWithValue("$k", kind);
            cmd.Parameters.AddWithValue("$i", id);
            return cmd.ExecuteNonQuery() > 0;
        }
    }

    /// <summary>Runs <paramref name="body"/> in one transaction (other threads wait); it rolls back when body throws. Nested calls join the outer transaction.</summary>
    public void InTransaction(Action<MetadataDb> body)
    {
        Monitor.Enter(_gate);
        try
        {
            if (_txDepth > 0)
            {
                _txDepth++;
                try { body(this); } finally { _txDepth--; }
                return;
            }
            _tx = _conn.BeginTransaction();
            _txDepth = 1;
            try
            {
                body(this);
                _tx.Commit();
            }
            catch
            {
                _tx.Rollback();
                throw;
            }
            finally
            {
                _txDepth = 0;
                _tx.Dispose();
                _tx = null;
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate) _conn.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _tx;
        return cmd;
    }

    private void Exec(string sql)
    {
        try
        {
            using var cmd = Command(sql);
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw BerthException.Internal($"metadata db {_conn.DataSource}: {ex.Message}", ex);
        }
    }
}
