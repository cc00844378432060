using System.Text.Json;
using Berth.Cli.Output;

namespace Berth.Cli.Tests;

public class TemplateTests
{
    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement;

    private static readonly JsonElement Container = Data("""
        {"Id":"abc123","Name":"/web","State":{"Status":"running","Pid":42,"Running":true},
         "Config":{"Env":["A=1","B=2"],"Labels":{"z":"last","a":"first"},"Image":"busybox"},"Count":3,"Empty":[]}
        """);

    [Theory]
    [InlineData("{{.Id}}", "abc123")]
    [InlineData("{{.State.Status}}", "running")]
    [InlineData("{{.State.Pid}}", "42")]
    [InlineData("{{.State.Running}}", "true")]
    [InlineData("{{.Config.Env}}", "[A=1 B=2]")]
    [InlineData("{{.Config.Labels}}", "map[a:first z:last]")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{json .Config.Env}}", "[\"A=1\",\"B=2\"]")]
    [InlineData("{{json .Name}}", "\"/web\"")]
    [InlineData("{{upper .Config.Image}}", "BUSYBOX")]
    [InlineData("{{.Config.Image | upper}}", "BUSYBOX")]
    [InlineData("{{title \"hello world\"}}", "Hello World")]
    [InlineData("{{join .Config.Env \",\"}}", "A=1,B=2")]
    [InlineData("{{truncate .Id 3}}", "abc")]
    [InlineData("{{range .Config.Env}}[{{.}}]{{end}}", "[A=1][B=2]")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a=first;z=last;")]
    [InlineData("{{range .Empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{if .State.Running}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if eq .State.Status \"exited\"}}E{{else if eq .State.Status \"running\"}}R{{else}}?{{end}}", "R")]
    [InlineData("{{index .Config.Labels \"z\"}}", "last")]
    [InlineData("{{len .Config.Env}}", "2")]
    [InlineData("{{with .State}}{{.Pid}}{{end}}", "42")]
    [InlineData("{{println .Id}}", "abc123\n")]
    [InlineData("{{.Id}}\\t{{.Name}}", "abc123\t/web")]
    [InlineData("{{- .Id -}} ", "abc123")]
    [InlineData("{{$.Config.Image}}", "busybox")]
    [InlineData("{{lower (index .Config.Labels \"a\")}}", "first")]
    [InlineData("{{(index .Config.Env 1)}}|{{(.State).Pid}}", "B=2|42")]
    public void Renders(string template, string expected) => Assert.Equal(expected, GoTemplate.Parse(template).Execute(Container));

    [Fact]
    public void Label_method_reads_one_label()
    {
        var row = Data("{\"Labels\":\"app=web,tier=front\"}");
        Assert.Equal("front", GoTemplate.Parse("{{.Label \"tier\"}}").Execute(row));
        Assert.Equal("", GoTemplate.Parse("{{.Label \"none\"}}").Execute(row));
        Assert.Equal("first", GoTemplate.Parse("{{.Config.Label \"a\"}}").Execute(Container));
    }

    [Fact]
    public void Json_dot_prints_the_whole_object()
    {
        string output = GoTemplate.Parse("{{json .}}").Execute(Data("{\"B\":1,\"A\":\"x\"}"));
        Assert.Equal("{\"B\":1,\"A\":\"x\"}", output);
    }

    [Theory]
    [InlineData("{{.Id", "unclosed action")]
    [InlineData("{{nosuch .Id}}", "function \"nosuch\" not defined")]
    [InlineData("{{if .Id}}x", "missing {{end}}")]
    [InlineData("{{end}}", "unexpected {{end}}")]
    public void Bad_templates_say_why(string template, string message)
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template).Execute(Container));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Table_format_derives_headers_and_aligns_columns()
    {
        var rows = new[]
        {
            RowFormatter.Object(new Dictionary<string, string> { ["ID"] = "abc", ["Names"] = "web", ["CreatedAt"] = "now" }),
            RowFormatter.Object(new Dictionary<string, string> { ["ID"] = "defghijklmnop", ["Names"] = "db", ["CreatedAt"] = "then" }),
        };
        var headers = new Dictionary<string, string> { ["ID"] = "CONTAINER ID", ["Names"] = "NAMES" };
        string output = RowFormatter.Render("table {{.ID}}\\t{{.Names}}\\t{{.CreatedAt}}", "", rows, headers);
        Assert.Equal(
            "CONTAINER ID    NAMES     CREATED AT\n" +
            "abc             web       now\n" +
            "defghijklmnop   db        then\n", output);
    }

    [Fact]
    public void Raw_and_json_formats_print_one_line_per_row()
    {
        var rows = new[] { RowFormatter.Object(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }) };
        Assert.Equal("1\n", RowFormatter.Render("{{.a}}", "table {{.a}}", rows, new Dictionary<string, string>()));
        Assert.Equal("{\"a\":\"1\",\"b\":\"2\"}\n", RowFormatter.Render("json", "table {{.a}}", rows, new Dictionary<string, string>()));
    }

    [Fact]
    public void Tab_writer_pads_to_at_least_ten_columns()
    {
        Assert.Equal("a             b\nlonger-cell   c\n", TabWriter.Align(new[] { "a\tb", "longer-cell\tc" }));
        Assert.Equal("a         b\n", TabWriter.Align(new[] { "a\tb" }));
    }
}
