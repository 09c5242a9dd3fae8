<#
.SYNOPSIS
    Reads a change script with PowerShell's own parser and prints its syntax tree as JSON. Nothing in the script
    is run: this file only calls the parser and walks the tree it returns.

.DESCRIPTION
    exrelay whatif evaluates the tree (variables, pipelines, arguments) itself, against a snapshot of the
    organisation. Every node carries its line and column, so whatever exrelay cannot evaluate is reported where it
    stands. Node kinds it does not know are emitted as 'unsupported' with their text, never dropped.

.PARAMETER Bytes
    A change script file's bytes, in Base64 (exrelay reads the file itself, through a descriptor it checked to be a
    regular file). Decoded as Parser::ParseFile decodes a script: a byte order mark where there is one, otherwise
    the shell's default (UTF-8 in PowerShell 7, the ANSI code page in Windows PowerShell 5.1).

.PARAMETER Text
    Script texts (exrelay's own fix commands), each parsed with Parser::ParseInput. Used when Bytes is not given.
#>
param($Bytes = $null, [string[]] $Text)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

# Deeper trees are cut off with a note: ConvertTo-Json stops at 100 levels, and a change script never needs 40.
$script:MaxDepth = 40

function New-ExrelayNode([string] $Type, $Ast) {
    $node = [ordered]@{ type = $Type }
    if ($null -ne $Ast) {
        $node.line = $Ast.Extent.StartLineNumber
        $node.column = $Ast.Extent.StartColumnNumber
    }
    $node
}

function Get-ExrelayText($Ast) {
    $text = $Ast.Extent.Text
    if ($text.Length -gt 300) { $text = $text.Substring(0, 300) + '…' }
    $text
}

function ConvertTo-ExrelayNodeList($Items, [int] $Depth) {
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Items) { $list.Add((ConvertTo-ExrelayNode $item $Depth)) }
    , $list.ToArray()
}

# A block's statements, its traps first: PowerShell keeps a block's traps apart from its statements, yet a trap
# decides what an error anywhere in the block does, so exrelay must see it before them (as a node it cannot
# evaluate, never dropped).
function Get-ExrelayBlockItems($Block) {
    $items = [System.Collections.Generic.List[object]]::new()
    if ($Block.Traps) { $items.AddRange([object[]] @($Block.Traps)) }
    $items.AddRange([object[]] @($Block.Statements))
    , $items.ToArray()
}

# The named blocks in the order PowerShell runs them; `clean` exists from PowerShell 7.3 on.
function Get-ExrelayNamedBlocks($Ast) {
    $clean = if ($Ast.PSObject.Properties['CleanBlock']) { $Ast.CleanBlock } else { $null }
    @($Ast.DynamicParamBlock, $Ast.BeginBlock, $Ast.ProcessBlock, $Ast.EndBlock, $clean) | Where-Object { $null -ne $_ }
}

function ConvertTo-ExrelayNode($Ast, [int] $Depth) {
    if ($null -eq $Ast) { return $null }
    $language = 'System.Management.Automation.Language'
    if ($Depth -gt $script:MaxDepth) {
        $node = New-ExrelayNode 'unsupported' $Ast
        $node.kind = $Ast.GetType().Name
        $node.reason = 'nested too deeply'
        $node.text = Get-ExrelayText $Ast
        return $node
    }
    $next = $Depth + 1
    switch ($Ast.GetType().FullName) {
        "$language.ScriptBlockAst" {
            $node = New-ExrelayNode 'block' $Ast
            $statements = @()
            if ($Ast.ParamBlock) {
                foreach ($parameter in $Ast.ParamBlock.Parameters) {
                    $param = New-ExrelayNode 'param' $parameter
                    $param.name = $parameter.Name.VariablePath.UserPath
                    $param.default = ConvertTo-ExrelayNode $parameter.DefaultValue $next
                    $statements += , $param
                }
            }
            foreach ($block in Get-ExrelayNamedBlocks $Ast) {
                $statements += ConvertTo-ExrelayNodeList (Get-ExrelayBlockItems $block) $next
            }
            $node.statements = [object[]] $statements
            return $node
        }
        "$language.StatementBlockAst" {
            $node = New-ExrelayNode 'block' $Ast
            $node.statements = ConvertTo-ExrelayNodeList (Get-ExrelayBlockItems $Ast) $next
            return $node
        }
        "$language.NamedBlockAst" {
            $node = New-ExrelayNode 'block' $Ast
            $node.statements = ConvertTo-ExrelayNodeList (Get-ExrelayBlockItems $Ast) $next
            return $node
        }
        "$language.PipelineAst" {
            $node = New-ExrelayNode 'pipeline' $Ast
            $node.elements = ConvertTo-ExrelayNodeList $Ast.PipelineElements $next
            return $node
        }
        "$language.CommandAst" {
            $node = New-ExrelayNode 'command' $Ast
            $node.name = $Ast.GetCommandName()
            $node.invocation = $Ast.InvocationOperator.ToString()
            $node.redirected = $Ast.Redirections.Count -gt 0
            $node.elements = ConvertTo-ExrelayNodeList @($Ast.CommandElements | Select-Object -Skip 1) $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.CommandParameterAst" {
            $node = New-ExrelayNode 'parameter' $Ast
            $node.name = $Ast.ParameterName
            $node.argument = ConvertTo-ExrelayNode $Ast.Argument $next
            return $node
        }
        "$language.CommandExpressionAst" {
            $node = New-ExrelayNode 'expression' $Ast
            $node.expression = ConvertTo-ExrelayNode $Ast.Expression $next
            return $node
        }
        "$language.AssignmentStatementAst" {
            $node = New-ExrelayNode 'assign' $Ast
            $node.operator = $Ast.Operator.ToString()
            $node.left = ConvertTo-ExrelayNode $Ast.Left $next
            $node.right = ConvertTo-ExrelayNode $Ast.Right $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.IfStatementAst" {
            $node = New-ExrelayNode 'if' $Ast
            $clauses = foreach ($clause in $Ast.Clauses) {
                [ordered]@{ condition = ConvertTo-ExrelayNode $clause.Item1 $next; body = ConvertTo-ExrelayNode $clause.Item2 $next }
            }
            $node.clauses = [object[]] @($clauses)
            $node.else = ConvertTo-ExrelayNode $Ast.ElseClause $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.ForEachStatementAst" {
            $node = New-ExrelayNode 'foreach' $Ast
            $node.variable = $Ast.Variable.VariablePath.UserPath
            $node.collection = ConvertTo-ExrelayNode $Ast.Condition $next
            $node.body = ConvertTo-ExrelayNode $Ast.Body $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.TryStatementAst" {
            $node = New-ExrelayNode 'try' $Ast
            $node.body = ConvertTo-ExrelayNode $Ast.Body $next
            $node.catches = ConvertTo-ExrelayNodeList @($Ast.CatchClauses | ForEach-Object Body) $next
            $node.finally = ConvertTo-ExrelayNode $Ast.Finally $next
            return $node
        }
        "$language.FunctionDefinitionAst" {
            $node = New-ExrelayNode 'function' $Ast
            $node.name = $Ast.Name
            return $node
        }
        "$language.StringConstantExpressionAst" {
            $node = New-ExrelayNode 'string' $Ast
            $node.value = $Ast.Value
            $node.quoting = $Ast.StringConstantType.ToString()
            return $node
        }
        "$language.ExpandableStringExpressionAst" {
            # The raw text and where each embedded expression sits in it: exrelay expands it itself.
            $node = New-ExrelayNode 'expandable' $Ast
            $node.raw = $Ast.Extent.Text
            $node.quoting = $Ast.StringConstantType.ToString()
            $start = $Ast.Extent.StartOffset
            $nested = foreach ($expression in $Ast.NestedExpressions) {
                [ordered]@{
                    start      = $expression.Extent.StartOffset - $start
                    end        = $expression.Extent.EndOffset - $start
                    expression = ConvertTo-ExrelayNode $expression $next
                }
            }
            $node.nested = [object[]] @($nested)
            return $node
        }
        "$language.ConstantExpressionAst" {
            $node = New-ExrelayNode 'constant' $Ast
            $value = $Ast.Value
            $node.value = if ($value -is [bool] -or $value -is [string]) { $value } else { [string] $value }
            $node.valueType = $value.GetType().Name
            return $node
        }
        "$language.ArrayLiteralAst" {
            $node = New-ExrelayNode 'array' $Ast
            $node.elements = ConvertTo-ExrelayNodeList $Ast.Elements $next
            return $node
        }
        "$language.ArrayExpressionAst" {
            $node = New-ExrelayNode 'arrayExpression' $Ast
            $node.statements = ConvertTo-ExrelayNodeList $Ast.SubExpression.Statements $next
            return $node
        }
        "$language.SubExpressionAst" {
            $node = New-ExrelayNode 'subexpression' $Ast
            $node.statements = ConvertTo-ExrelayNodeList $Ast.SubExpression.Statements $next
            return $node
        }
        "$language.ParenExpressionAst" {
            $node = New-ExrelayNode 'paren' $Ast
            $node.pipeline = ConvertTo-ExrelayNode $Ast.Pipeline $next
            return $node
        }
        "$language.HashtableAst" {
            $node = New-ExrelayNode 'hashtable' $Ast
            $pairs = foreach ($pair in $Ast.KeyValuePairs) {
                [ordered]@{ key = ConvertTo-ExrelayNode $pair.Item1 $next; value = ConvertTo-ExrelayNode $pair.Item2 $next }
            }
            $node.pairs = [object[]] @($pairs)
            return $node
        }
        "$language.VariableExpressionAst" {
            $node = New-ExrelayNode 'variable' $Ast
            $node.name = $Ast.VariablePath.UserPath
            $node.splatted = $Ast.Splatted
            return $node
        }
        "$language.MemberExpressionAst" {
            $node = New-ExrelayNode 'member' $Ast
            $node.target = ConvertTo-ExrelayNode $Ast.Expression $next
            $node.member = ConvertTo-ExrelayNode $Ast.Member $next
            $node.static = $Ast.Static
            return $node
        }
        "$language.InvokeMemberExpressionAst" {
            $node = New-ExrelayNode 'invoke' $Ast
            $node.target = ConvertTo-ExrelayNode $Ast.Expression $next
            $node.member = ConvertTo-ExrelayNode $Ast.Member $next
            $node.static = $Ast.Static
            $node.arguments = ConvertTo-ExrelayNodeList @($Ast.Arguments | Where-Object { $null -ne $_ }) $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.BinaryExpressionAst" {
            $node = New-ExrelayNode 'binary' $Ast
            $node.operator = $Ast.Operator.ToString()
            $node.left = ConvertTo-ExrelayNode $Ast.Left $next
            $node.right = ConvertTo-ExrelayNode $Ast.Right $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.UnaryExpressionAst" {
            $node = New-ExrelayNode 'unary' $Ast
            $node.operator = $Ast.TokenKind.ToString()
            $node.child = ConvertTo-ExrelayNode $Ast.Child $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.ConvertExpressionAst" {
            $node = New-ExrelayNode 'convert' $Ast
            $node.typeName = $Ast.Type.TypeName.FullName
            $node.child = ConvertTo-ExrelayNode $Ast.Child $next
            return $node
        }
        "$language.TypeExpressionAst" {
            $node = New-ExrelayNode 'typeName' $Ast
            $node.typeName = $Ast.TypeName.FullName
            return $node
        }
        "$language.ScriptBlockExpressionAst" {
            $node = New-ExrelayNode 'scriptblock' $Ast
            $node.body = ConvertTo-ExrelayNode $Ast.ScriptBlock $next
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        "$language.IndexExpressionAst" {
            $node = New-ExrelayNode 'index' $Ast
            $node.target = ConvertTo-ExrelayNode $Ast.Target $next
            $node.index = ConvertTo-ExrelayNode $Ast.Index $next
            return $node
        }
        "$language.TrapStatementAst" {
            $node = New-ExrelayNode 'unsupported' $Ast
            $node.kind = 'TrapStatementAst'
            $node.reason = 'it decides whether the script goes on after an error'
            $node.text = Get-ExrelayText $Ast
            return $node
        }
        default {
            $node = New-ExrelayNode 'unsupported' $Ast
            $node.kind = $Ast.GetType().Name
            $node.text = Get-ExrelayText $Ast
            return $node
        }
    }
}

function ConvertTo-ExrelayParseResult($Ast, $ParseErrors) {
    $errors = foreach ($problem in @($ParseErrors)) {
        [ordered]@{ line = $problem.Extent.StartLineNumber; column = $problem.Extent.StartColumnNumber; message = $problem.Message }
    }
    [ordered]@{
        parseErrors = [object[]] @($errors)
        body        = if (@($ParseErrors).Count -gt 0) { $null } else { ConvertTo-ExrelayNode $Ast 0 }
    }
}

$results = [System.Collections.Generic.List[object]]::new()
if ($null -ne $Bytes) {
    $stream = [System.IO.MemoryStream]::new([Convert]::FromBase64String($Bytes))
    # As ParseFile reads a script: StreamReader with the shell's default encoding and byte-order-mark detection.
    $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::Default, $true)
    $scriptText = $reader.ReadToEnd()
    $reader.Dispose()
    $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($scriptText, [ref] $null, [ref] $parseErrors)
    $results.Add((ConvertTo-ExrelayParseResult $ast $parseErrors))
} else {
    foreach ($item in @($Text)) {
        $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($item, [ref] $null, [ref] $parseErrors)
        $results.Add((ConvertTo-ExrelayParseResult $ast $parseErrors))
    }
}
ConvertTo-Json -InputObject $results.ToArray() -Depth 100 -Compress
